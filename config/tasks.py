from celery import shared_task


@shared_task(name="config.ping")
def ping() -> str:
    """Round trip through the broker; used by the health check and the integration tests."""
    return "pong"
