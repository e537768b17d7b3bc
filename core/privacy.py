"""The portal holds aggregate information only: warn when free text looks like it identifies a child."""

import re

NHS_NUMBER = re.compile(r"(?<!\d)(\d{3})[ -]?(\d{3})[ -]?(\d{4})(?!\d)")
UPN = re.compile(r"\b[A-Z]\d{11}[0-9A-Z]\b")
DATE_OF_BIRTH = re.compile(
    r"\b(?:d\.?o\.?b\.?|date of birth|born(?: on)?)\b[\s:,-]*(?:\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{1,2}(?:st|nd|rd|th)? \w+ \d{4})",
    re.IGNORECASE,
)


def valid_nhs_number(digits: str) -> bool:
    """The NHS number's last digit is a modulus 11 check of the first nine."""
    total = sum(int(d) * (10 - i) for i, d in enumerate(digits[:9]))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    return check != 10 and check == int(digits[9])


def personal_data_warnings(text: str) -> list[str]:
    warnings = []
    if any(valid_nhs_number("".join(m.groups())) for m in NHS_NUMBER.finditer(text)):
        warnings.append("an NHS number")
    if UPN.search(text):
        warnings.append("a unique pupil number (UPN)")
    if DATE_OF_BIRTH.search(text):
        warnings.append("a date of birth")
    return warnings
