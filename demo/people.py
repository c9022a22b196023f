"""The people of the demo county: Chinese names, and users who cannot sign in unless they are
one of the demo logins (DESIGN §10)."""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.auth import get_user_model

from cases.workdays import CHINA

DEMO_PASSWORD = "siji-siwen-demo"
# The six of 进贤县; then 安义县's office, 南昌市's city office (demo.second_county) and the clerk of
# 南昌市's 市发改委 (demo.city_escalation).
DEMO_USERNAMES = (
    "office",
    "leadership",
    "leader",
    "dept",
    "cadre",
    "enterprise",
    "county2",
    "city",
    "cityfgw",
)
JOINED = dt.datetime(2021, 3, 1, 9, 0, tzinfo=CHINA)  # the campaign began in early March 2021

SURNAMES = "万熊胡刘李王张陈徐涂邹黄吴罗周朱钟喻龚雷章饶艾舒余聂桂谢曾彭邓肖程魏袁江"
GIVEN_NAMES = (
    "建华 卫东 晓燕 志明 海涛 文斌 丽萍 国强 振华 俊杰 红梅 小龙 新民 秋菊 明辉 永红 春生 志勇 "
    "美玲 立新 慧敏 家豪 雪芳 光荣 德胜 金平 玉兰 建军 晓东 思远 雨欣 子涵 伟 敏 静 磊 军 芳 勇 "
    "涛 琳 斌 鹏 婷 鑫 慧 杰 超 晨 昊 宇 莉 军华 红兵 水根 桂英 冬生 细妹 长根 国平"
).split()
# Names the newspaper report gives to real people: used only for their own parts in the stories.
RESERVED = {"付登印", "杨斌", "王强"}


class NameBook:
    """Unique, repeatable Chinese names."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.used = set(RESERVED)

    def take(self) -> str:
        while True:
            name = self.rng.choice(SURNAMES) + self.rng.choice(GIVEN_NAMES)
            if name not in self.used:
                self.used.add(name)
                return name


def make_person(username: str, full_name: str):
    """A user with a Chinese full name; only the demo logins get a password (Argon2 is slow)."""
    # Django joins first and last name with a space; a Chinese name is written as one word.
    user = get_user_model()(username=username, first_name=full_name, date_joined=JOINED)
    if username in DEMO_USERNAMES:
        user.set_password(DEMO_PASSWORD)
    else:
        user.set_unusable_password()
    user.save()
    return user
