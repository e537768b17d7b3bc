"""The Southend risk log's route, in the documents' words; no risks, because none of the documents names one.

The documents say that the SEND Risk Log exists and who oversees it (003_2bc801761036d050.txt, 6.8: "The SEND
Risk Log is reviewed regularly as part of the SEND governance process, oversight resting with the SEND
Strategic Partnership Board") and that service data is shared "through SENDAP Operation Group with escalations
to Board" (000_d50ea2fd0cf008ce.txt, Appendix 3, SEF Part B). They give no risk, score or owner, so the log
starts empty and the matrix keeps its default words and bands until the partnership admin sets them.
"""

from core.models import Partnership
from risks.models import RiskMatrix

SOURCE = "003_2bc801761036d050.txt (6.8); 000_d50ea2fd0cf008ce.txt (Appendix 3, SEF Part B)"


def load_southend_risk_log(partnership: Partnership) -> RiskMatrix:
    matrix, _ = RiskMatrix.objects.update_or_create(
        partnership=partnership,
        defaults={
            "held_by": "SENDAP Operations Group",
            "escalates_to": "SEND Strategic Partnership Board",
            "source_document": SOURCE,
        },
    )
    return matrix
