from kpis import national_services
from send_portal.celery import app


@app.task(name="kpis.import_national_statistics")
def import_national_statistics(*, import_id: int) -> str:
    return national_services.national_statistics_run(import_id=import_id)
