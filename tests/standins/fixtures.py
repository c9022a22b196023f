"""pytest fixtures starting the 企业微信 and 钉钉 stand-ins and pointing the settings at them
(import them into a conftest: `from tests.standins.fixtures import dingtalk, wecom`)."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from notifications.vendors import token_cache_key
from tests.standins.dingtalk import DingTalkStandIn
from tests.standins.wecom import WeComStandIn


@pytest.fixture
def wecom(settings):
    stand_in = WeComStandIn()
    settings.WECOM_CORP_ID = stand_in.corp_id
    settings.WECOM_AGENT_ID = stand_in.agent_id
    settings.WECOM_SECRET = stand_in.secret
    settings.WECOM_API_BASE = stand_in.base
    key = token_cache_key("wecom", f"{stand_in.corp_id}:{stand_in.agent_id}", stand_in.secret)
    cache.delete(key)
    yield stand_in
    cache.delete(key)
    stand_in.close()


@pytest.fixture
def dingtalk(settings):
    stand_in = DingTalkStandIn()
    settings.DINGTALK_APP_KEY = stand_in.app_key
    settings.DINGTALK_APP_SECRET = stand_in.app_secret
    settings.DINGTALK_AGENT_ID = stand_in.agent_id
    settings.DINGTALK_API_BASE = stand_in.base
    settings.DINGTALK_NEW_API_BASE = stand_in.base
    key = token_cache_key("dingtalk", stand_in.app_key, stand_in.app_secret)
    cache.delete(key)
    yield stand_in
    cache.delete(key)
    stand_in.close()
