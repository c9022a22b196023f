import pytest

from tests.standins.fixtures import dingtalk, wecom  # noqa: F401 — fixtures
from tests.standins.sms import AliyunSmsStandIn


@pytest.fixture
def aliyun_sms(settings):
    """The stand-in 阿里云 短信, with the settings pointing the real backend at it."""
    stand_in = AliyunSmsStandIn()
    settings.SMS_BACKEND = ""  # the provider configured below chooses the backend
    settings.SMS_PROVIDER = "aliyun"
    settings.SMS_ACCESS_KEY_ID = stand_in.access_key_id
    settings.SMS_ACCESS_KEY_SECRET = stand_in.access_key_secret
    settings.SMS_SIGN_NAME = stand_in.sign_name
    settings.SMS_TEMPLATE_LOGIN = "SMS_100000001"
    settings.SMS_TEMPLATE_NOTICE = "SMS_100000002"
    settings.SMS_API_BASE = stand_in.base
    yield stand_in
    stand_in.close()
