"""统一社会信用代码 (GB 32100-2015): 18 characters, the last one a check character."""

import pytest
from django.core.exceptions import ValidationError

from enterprises.models import Enterprise
from enterprises.validators import credit_code_check_character, validate_credit_code
from tests.factories import make_enterprise

# Bodies (first 17 characters) of codes in the real layout: registration authority and kind,
# 6-digit region, 9-character organisation code. Check characters are computed, never guessed.
BODIES = ["91360124MA3500000", "91110000600037341", "12100000400000624", "91360124MA35XK8PY"]


def valid(body: str) -> str:
    return body + credit_code_check_character(body)


def messages_of(excinfo) -> str:
    return " ".join(excinfo.value.messages)


@pytest.mark.parametrize("body", BODIES)
def test_it_accepts_a_code_with_the_right_check_character(body):
    validate_credit_code(valid(body))


@pytest.mark.parametrize(
    "published",
    [
        "914403001922038216",  # 华为技术有限公司
        "9144030071526726XG",  # 深圳市腾讯计算机系统有限公司
        "91330100716105852F",  # 阿里巴巴（中国）有限公司
    ],
)
def test_it_agrees_with_the_check_characters_of_published_codes(published):
    # Codes printed on business licences: an independent check of the weights and the alphabet.
    assert credit_code_check_character(published[:17]) == published[17]
    validate_credit_code(published)


def test_it_accepts_lowercase_and_surrounding_spaces():
    validate_credit_code(f"  {valid(BODIES[0]).lower()} ")


@pytest.mark.parametrize("code", ["", "9136012", valid(BODIES[0]) + "1", valid(BODIES[0])[:-1]])
def test_it_refuses_a_code_of_the_wrong_length_and_says_how_long_it_is(code):
    with pytest.raises(ValidationError) as excinfo:
        validate_credit_code(code)
    assert excinfo.value.code == "credit_code_length"
    assert "18位" in messages_of(excinfo)
    assert f"现为{len(code.strip())}位" in messages_of(excinfo)


@pytest.mark.parametrize("letter", ["I", "O", "Z", "S", "V"])
def test_it_refuses_the_letters_the_standard_leaves_out(letter):
    code = "91360124MA35" + letter + "00000"
    assert len(code) == 18
    with pytest.raises(ValidationError) as excinfo:
        validate_credit_code(code)
    assert excinfo.value.code == "credit_code_characters"
    assert letter in messages_of(excinfo)


def test_it_refuses_punctuation_and_names_the_character():
    with pytest.raises(ValidationError) as excinfo:
        validate_credit_code("91360124-A35000001")
    assert excinfo.value.code == "credit_code_characters"
    assert "-" in messages_of(excinfo)


def test_it_refuses_a_wrong_check_character_and_names_the_expected_one():
    good = valid(BODIES[0])
    expected = good[-1]
    wrong = "0" if expected != "0" else "1"
    with pytest.raises(ValidationError) as excinfo:
        validate_credit_code(good[:-1] + wrong)
    assert excinfo.value.code == "credit_code_check"
    message = messages_of(excinfo)
    assert f"应为 {expected}" in message
    assert f"而不是 {wrong}" in message


def test_it_catches_two_swapped_characters():
    good = valid(BODIES[1])
    swapped = good[:8] + good[9] + good[8] + good[10:]
    assert swapped != good
    with pytest.raises(ValidationError):
        validate_credit_code(swapped)


@pytest.mark.django_db
def test_an_enterprise_with_a_bad_code_is_refused_on_the_credit_code_field():
    good = valid(BODIES[0])
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    enterprise = Enterprise(name="江西进贤某某有限公司", credit_code=bad)
    with pytest.raises(ValidationError) as excinfo:
        enterprise.full_clean()
    assert set(excinfo.value.message_dict) == {"credit_code"}
    assert f"应为 {good[-1]}" in " ".join(excinfo.value.message_dict["credit_code"])


@pytest.mark.django_db
def test_an_enterprise_with_a_good_code_in_lowercase_is_stored_in_capitals():
    code = valid(BODIES[3])
    enterprise = Enterprise(name="江西进贤某某有限公司", credit_code=code.lower())
    enterprise.full_clean()
    enterprise.save()
    assert Enterprise.objects.get(pk=enterprise.pk).credit_code == code


@pytest.mark.django_db
def test_the_factory_makes_enterprises_with_valid_codes():
    for _ in range(3):
        make_enterprise().full_clean()
