"""Where the workflow hands each new case event to the notification outbox."""


def on_case_event(event) -> None:
    """Called inside the transaction that recorded the event; writes the outbox rows it causes."""
