"""Enterprise contacts sign in with a code by SMS: hashed, five minutes, single use, limited per
number and per address, locked out like the password, and silent about unknown numbers."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from django.utils import timezone

from enterprises.models import EnterpriseContact
from signin.models import SmsCode

pytestmark = pytest.mark.django_db

EVA = "13812345678"


@pytest.fixture
def eva(county):
    EnterpriseContact.objects.filter(user=county.eva).update(phone="138-1234-5678")
    return county.eva


def ask(client, phone, **extra):
    return client.post(reverse("signin:sms"), {"phone": phone, "action": "send"}, **extra)


def sign_in(client, phone, code, next_url=""):
    return client.post(
        reverse("signin:sms"), {"phone": phone, "code": code, "action": "verify", "next": next_url}
    )


def test_the_code_signs_the_contact_in_once(client, eva, aliyun_sms):
    response = ask(client, EVA)
    assert response.status_code == 200
    assert "验证码已发送" in response.content.decode()
    [code] = aliyun_sms.codes_sent_to(EVA)
    response = sign_in(client, EVA, code, next_url="/notifications/")
    assert response.status_code == 302 and response["Location"] == "/notifications/"
    assert client.session["_auth_user_id"] == str(eva.pk)
    client.logout()
    response = sign_in(client, EVA, code)
    assert response.status_code == 400
    assert "_auth_user_id" not in client.session


def test_the_code_is_stored_hashed(client, eva, aliyun_sms):
    ask(client, EVA)
    [code] = aliyun_sms.codes_sent_to(EVA)
    row = SmsCode.objects.get()
    assert code not in row.code_hash and len(row.code_hash) == 64


def test_a_code_expires_after_five_minutes(client, eva, aliyun_sms):
    ask(client, EVA)
    [code] = aliyun_sms.codes_sent_to(EVA)
    row = SmsCode.objects.get()
    assert row.expires_at - row.created_at == timedelta(minutes=5)
    SmsCode.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert sign_in(client, EVA, code).status_code == 400
    assert "_auth_user_id" not in client.session


def test_only_the_newest_code_counts(client, eva, aliyun_sms, settings):
    settings.SIGNIN_SMS_INTERVAL_SECONDS = 1
    ask(client, EVA)
    from django.core.cache import cache

    cache.clear()
    ask(client, EVA)
    first, second = aliyun_sms.codes_sent_to(EVA)
    if first != second:
        assert sign_in(client, EVA, first).status_code == 400
    assert sign_in(client, EVA, second).status_code == 302


def test_an_unknown_number_gets_the_same_answer_and_no_sms(client, eva, aliyun_sms):
    known = ask(client, EVA)
    unknown = ask(client, "13900009999")
    assert unknown.status_code == known.status_code == 200
    assert known.content.decode().replace(EVA, "N") == unknown.content.decode().replace(
        "13900009999", "N"
    ).replace(str(unknown.context["csrf_token"]), str(known.context["csrf_token"]))
    assert aliyun_sms.codes_sent_to("13900009999") == []
    assert SmsCode.objects.filter(phone="13900009999", code_hash="").count() == 1


def test_staff_and_deactivated_contacts_get_no_code(client, county, eva, aliyun_sms):
    from enterprises.models import DepartmentStaff

    DepartmentStaff.objects.filter(user=county.dan).update(phone="13700001111")
    ask(client, "13700001111")
    eva.is_active = False
    eva.save()
    ask(client, EVA)
    assert aliyun_sms.sent == []


def test_a_malformed_number_is_named(client, eva, aliyun_sms):
    response = ask(client, "1381234")
    assert response.status_code == 400
    assert "“1381234”不是有效的手机号码" in response.content.decode()
    assert SmsCode.objects.count() == 0


def test_one_code_a_minute_per_number(client, eva, aliyun_sms):
    ask(client, EVA)
    response = ask(client, EVA)
    assert response.status_code == 400
    assert "秒后再试" in response.content.decode()
    assert len(aliyun_sms.sent) == 1


def test_limit_per_number_per_hour(client, eva, aliyun_sms, settings):
    from django.core.cache import cache

    settings.SIGNIN_SMS_PER_NUMBER_PER_HOUR = 3
    for _ in range(3):
        cache.clear()
        assert ask(client, EVA).status_code == 200
    cache.clear()
    response = ask(client, EVA)
    assert response.status_code == 400
    assert "一小时内最多获取 3 次" in response.content.decode()
    assert len(aliyun_sms.sent) == 3


def test_limit_per_address_counts_unknown_numbers_too(client, eva, aliyun_sms, settings):
    settings.SIGNIN_SMS_PER_ADDRESS_PER_HOUR = 3
    for n in range(3):
        assert ask(client, f"1390000000{n}").status_code == 200
    response = ask(client, EVA)
    assert response.status_code == 400
    assert "此网络获取验证码次数过多" in response.content.decode()
    assert aliyun_sms.sent == []
    other = ask(client, EVA, REMOTE_ADDR="10.1.2.3")
    assert other.status_code == 200 and len(aliyun_sms.sent) == 1


def test_wrong_codes_lock_the_number_out_like_a_wrong_password(client, eva, aliyun_sms, settings):
    settings.SIGNIN_SMS_WRONG_GUESSES = 100  # the axes lockout, not the burnt code, is under test
    ask(client, EVA)
    [code] = aliyun_sms.codes_sent_to(EVA)
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, EVA, wrong).status_code == 400
    response = sign_in(client, EVA, wrong)
    assert "账号已暂时锁定" in response.content.decode()
    assert AccessAttempt.objects.filter(username=EVA).exists()
    response = sign_in(client, EVA, code)  # the right code no longer helps
    assert "账号已暂时锁定" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_code_is_burnt_after_a_few_wrong_guesses(client, eva, aliyun_sms, settings):
    settings.SIGNIN_SMS_WRONG_GUESSES = 2
    ask(client, EVA)
    [code] = aliyun_sms.codes_sent_to(EVA)
    wrong = "000000" if code != "000000" else "111111"
    sign_in(client, EVA, wrong)
    sign_in(client, EVA, wrong)
    assert sign_in(client, EVA, code).status_code == 400
    assert "_auth_user_id" not in client.session


def test_a_provider_failure_does_not_reveal_the_number(client, eva, aliyun_sms):
    aliyun_sms.fail_next("isv.AMOUNT_NOT_ENOUGH")
    response = ask(client, EVA)
    assert response.status_code == 200 and "验证码已发送" in response.content.decode()


def test_the_code_is_six_digits_or_named(client, eva, aliyun_sms):
    ask(client, EVA)
    response = sign_in(client, EVA, "12ab")
    assert response.status_code == 400
    assert "验证码是短信中的6位数字" in response.content.decode()
    assert AccessAttempt.objects.count() == 0


def test_the_next_address_must_be_this_site(client, eva, aliyun_sms):
    ask(client, EVA)
    [code] = aliyun_sms.codes_sent_to(EVA)
    response = sign_in(client, EVA, code, next_url="https://evil.example/")
    assert response.status_code == 302 and response["Location"] == reverse("home")


@pytest.mark.django_db(transaction=True)
def test_one_code_signs_in_once_even_when_two_requests_race(county, aliyun_sms):
    import threading

    from django.db import connection

    from signin.sms_codes import request_code, verify_code

    EnterpriseContact.objects.filter(user=county.eva).update(phone=EVA)
    request_code(phone=EVA, ip="10.0.0.1")
    [code] = aliyun_sms.codes_sent_to(EVA)
    barrier, results = threading.Barrier(4), []

    def attempt():
        try:
            barrier.wait()
            results.append(verify_code(phone=EVA, code=code))
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [user for user in results if user is not None] == [county.eva]
