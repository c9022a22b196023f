"""Two queues: deliveries on NOTIFICATIONS_QUEUE, the beat's jobs (the deadline sweep above all) on
BEAT_QUEUE, each with a worker of its own wherever the app runs — so a backlog of deliveries never
delays an escalation (tests/integration/test_beat_queue.py shows it with real workers)."""

import importlib.util
from pathlib import Path

import yaml

from tests.test_settings import refusal, start_django

ROOT = Path(__file__).resolve().parent.parent


def queues_of(command: list[str]) -> set[str]:
    return set(command[command.index("-Q") + 1].split(",")) if "-Q" in command else set()


def test_every_job_of_the_beat_goes_to_the_beat_queue(settings):
    assert settings.BEAT_QUEUE != settings.NOTIFICATIONS_QUEUE
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        assert entry["options"]["queue"] == settings.BEAT_QUEUE, name
    assert {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()} == {
        "notifications.sweep_deadlines",
        "notifications.resend_pending",
        "notifications.send_daily_digest",
        "analysis.refresh_snapshots",
    }


def test_deliveries_go_to_the_notifications_queue(settings, monkeypatch):
    from notifications import outbox
    from notifications.tasks import deliver

    sent = []
    monkeypatch.setattr(deliver, "apply_async", lambda *args, **kwargs: sent.append(kwargs))
    outbox.publish([7])
    assert [kwargs["queue"] for kwargs in sent] == [settings.NOTIFICATIONS_QUEUE]


def test_one_queue_for_both_is_refused_at_start(tmp_path):
    result = start_django(tmp_path, NOTIFICATIONS_QUEUE="jobs", BEAT_QUEUE="jobs")
    assert refusal(result).startswith("BEAT_QUEUE and NOTIFICATIONS_QUEUE are both 'jobs'")


def test_the_compose_stack_runs_a_worker_per_queue_and_one_beat(settings):
    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    celery = {
        name: service["command"]
        for name, service in services.items()
        if isinstance(service.get("command"), list) and "celery" in service["command"]
    }
    subcommand = {name: cmd[cmd.index("config") + 1] for name, cmd in celery.items()}
    workers = {name: cmd for name, cmd in celery.items() if subcommand[name] == "worker"}
    assert [name for name in celery if subcommand[name] == "beat"] == ["beat"]
    assert not any("-B" in cmd for cmd in workers.values())
    assert sorted(queues_of(cmd) for cmd in workers.values()) == sorted(
        [{settings.NOTIFICATIONS_QUEUE}, {settings.BEAT_QUEUE}]
    )


def test_make_run_runs_a_worker_per_queue_and_beat_exactly_once(settings):
    spec = importlib.util.spec_from_file_location("run_dev", ROOT / "scripts" / "run_dev.py")
    run_dev = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(run_dev)
    workers = {name: cmd for name, cmd in run_dev.commands().items() if "worker" in cmd}
    assert {name: queues_of(cmd) for name, cmd in workers.items()} == {
        "worker": {settings.NOTIFICATIONS_QUEUE},
        "beat": {settings.BEAT_QUEUE},
    }
    assert [name for name, cmd in workers.items() if "-B" in cmd] == ["beat"]
