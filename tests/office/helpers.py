"""Small helpers of the office tests."""


def messages_of(response) -> list[str]:
    """The messages this request added (not those still queued from earlier requests)."""
    return [str(m) for m in response.wsgi_request._messages._queued_messages]
