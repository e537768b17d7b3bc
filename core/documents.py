"""Readable names for the published documents the Southend data was taken from.

The data cites each document by its file name, as the source folder asks; pages and packs show readers the
document's title with that file name beside it.
"""

import re

SOURCE_TITLES = {
    "000_d50ea2fd0cf008ce.txt": "Health and Wellbeing Board supplementary pack, 10 December 2024",
    "001_87597c0784a12c9a.txt": "SEND Strategic Action Plan 2023–2026, July 2023",
    "002_df2c46bf65b2d74b.txt": "SEF executive summary, 2021",
    "003_2bc801761036d050.txt": "People Scrutiny Committee pack, November 2022",
    "004_335635f5cfaa5d73.txt": "In-depth scrutiny project on SEND services, June 2023",
}
CITATION = re.compile(r"^(?P<file>\S+\.txt)(?: \((?P<part>[^()]*)\))?$")


def document_name(source: str) -> str:
    """'000_….txt (Appendix 3, SEF introduction)' as 'Health and Wellbeing Board supplementary pack, 10 December
    2024, Appendix 3, SEF introduction (file 000_….txt)'; any other source as it is."""
    match = CITATION.match(source)
    if not match or match["file"] not in SOURCE_TITLES:
        return source
    part = f", {match['part']}" if match["part"] else ""
    return f"{SOURCE_TITLES[match['file']]}{part} (file {match['file']})"
