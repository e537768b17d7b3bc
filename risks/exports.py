from django.http import HttpResponse
from django.utils import timezone

from core.spreadsheets import spreadsheet_response
from risks.models import Risk, RiskMatrix

HEADER = [
    "Risk",
    "Title",
    "Status",
    "Cause",
    "Effect",
    "Owner",
    "Likelihood before controls",
    "Impact before controls",
    "Score before controls",
    "Likelihood with controls",
    "Impact with controls",
    "Score with controls",
    "Rating",
    "Controls",
    "Mitigating actions",
    "Review date",
]


def risk_log_export(matrix: RiskMatrix, risks: list[Risk], file_format: str) -> HttpResponse:
    """The whole log, closed risks included, one row per risk."""
    rows = [
        [
            risk.number,
            risk.title,
            risk.get_status_display(),
            risk.cause,
            risk.effect,
            risk.owner.get_full_name() or risk.owner.email,
            f"{risk.inherent_likelihood} {matrix.likelihood(risk.inherent_likelihood)}",
            f"{risk.inherent_impact} {matrix.impact(risk.inherent_impact)}",
            risk.inherent_score,
            f"{risk.residual_likelihood} {matrix.likelihood(risk.residual_likelihood)}",
            f"{risk.residual_impact} {matrix.impact(risk.residual_impact)}",
            risk.residual_score,
            matrix.band(risk.residual_score),
            "; ".join(risk.control_lines),
            "; ".join(action.reference for action in risk.actions.all()),
            risk.review_date,
        ]
        for risk in risks
    ]
    return spreadsheet_response(
        f"send-risk-log-{timezone.localdate():%Y-%m-%d}", HEADER, rows, file_format, title="Risk log"
    )
