"""The task pages: the door sweep over every URL of the app (the starter and administrators
see a run; the neighbouring 街道's clerk and the supervisor get the 404 of a missing one;
anonymous visitors are sent to log in), then what the page shows."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import pytest
import time_machine
from django.test import Client
from django.urls import URLPattern, reverse
from django.utils import timezone

from fazhi.core.tasks import urls as task_urls
from fazhi.core.tasks.actions import start_task
from fazhi.core.tasks.models import TaskRun

A_TITLE = "东湖街道台账导入（测试）"


@dataclass
class World:
    cast: Any
    a_run: TaskRun  # started by 街道 A's clerk
    admin_run: TaskRun  # started by the district administrator


@pytest.fixture
def world(cast: Any) -> World:
    a_run = start_task(
        "test_count", by=cast.a_clerk, unit=cast.street_a, title=A_TITLE, n=3, label="甲"
    )
    admin_run = start_task("test_count", by=cast.admin, n=1)
    return World(cast, a_run, admin_run)


URLS: dict[str, Callable[[World], list[dict[str, Any]]]] = {
    "list": lambda w: [{}],
    "detail": lambda w: [{"pk": w.a_run.pk}, {"pk": w.admin_run.pk}],
    "progress": lambda w: [{"pk": w.a_run.pk}, {"pk": w.admin_run.pk}],
}
RUN_SCOPED = {"detail", "progress"}


def all_urls(w: World, names: Callable[[str], bool] = lambda n: True) -> list[tuple[str, str]]:
    return [
        (name, reverse(f"tasks:{name}", kwargs=kwargs))
        for name, build in URLS.items()
        if names(name)
        for kwargs in build(w)
    ]


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_every_url_is_in_the_sweep() -> None:
    patterns = task_urls.urlpatterns
    assert all(isinstance(p, URLPattern) for p in patterns), "an include() escapes the sweep"
    names = {p.name for p in patterns}
    assert names == set(URLS), f"not in the sweep: {names - set(URLS)}; stale: {set(URLS) - names}"


def test_the_neighbour_and_the_supervisor_get_404_on_every_run(world: World) -> None:
    missing = reverse("tasks:detail", args=[world.admin_run.pk + 1000])
    for user in (world.cast.b_clerk, world.cast.supervisor, world.cast.a_leader):
        client = client_for(user)
        for name, url in all_urls(world, lambda n: n in RUN_SCOPED):
            got = client.get(url)
            assert got.status_code == 404, (user, name, url)
            assert A_TITLE not in got.content.decode()
            assert client.post(url).status_code in (404, 405), (user, name, url)
        assert client.get(missing).status_code == 404
        listing = client.get(reverse("tasks:list"))
        assert listing.status_code == 200
        assert (
            A_TITLE not in listing.content.decode() and "测试计数" not in listing.content.decode()
        )


def test_a_foreign_run_answers_like_a_missing_one(world: World) -> None:
    client = client_for(world.cast.b_clerk)
    theirs = client.get(reverse("tasks:detail", args=[world.a_run.pk]))
    nothing = client.get(reverse("tasks:detail", args=[world.admin_run.pk + 1000]))
    strip = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')
    assert strip.sub("", theirs.content.decode()) == strip.sub("", nothing.content.decode())


def test_the_starter_sees_only_their_own_runs(world: World) -> None:
    client = client_for(world.cast.a_clerk)
    for name, url in all_urls(world, lambda n: n in RUN_SCOPED):
        own = str(world.a_run.pk) in url.split("/")
        assert client.get(url).status_code == (200 if own else 404), (name, url)
    listing = client.get(reverse("tasks:list")).content.decode()
    assert A_TITLE in listing and "测试计数" not in listing


def test_administrators_see_every_run(world: World) -> None:
    client = client_for(world.cast.admin)
    for name, url in all_urls(world):
        assert client.get(url).status_code == 200, (name, url)
    listing = client.get(reverse("tasks:list")).content.decode()
    assert A_TITLE in listing and "测试计数" in listing


def test_anonymous_is_sent_to_login_everywhere(world: World) -> None:
    client = Client()
    for name, url in all_urls(world):
        for response in (client.get(url), client.post(url)):
            assert response.status_code == 302, (name, url)
            assert urlsplit(response["Location"]).path == reverse("login"), (name, url)


# --- what the page shows ----------------------------------------------------------------


def test_a_running_task_shows_its_bar_and_follows_itself(world: World) -> None:
    now = timezone.now()
    TaskRun.objects.filter(pk=world.a_run.pk).update(
        status="running", started_at=now, done=40, total=160, message="已处理 40/160 条"
    )
    client = client_for(world.cast.a_clerk)
    page = client.get(reverse("tasks:detail", args=[world.a_run.pk]))
    html = page.content.decode()
    assert "运行中" in html and "已处理 40/160 条" in html and "40 / 160（25%）" in html
    assert '<progress class="task" max="160" value="40"></progress>' in html
    assert f'data-task-progress="/tasks/{world.a_run.pk}/progress.json"' in html
    csp = page["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "<script>" not in html and "style=" not in html
    data = client.get(reverse("tasks:progress", args=[world.a_run.pk])).json()
    assert data == {
        "id": world.a_run.pk,
        "status": "running",
        "status_label": "运行中",
        "finished": False,
        "done": 40,
        "total": 160,
        "percent": 25,
        "message": "已处理 40/160 条",
        "warning": "",
        "result": None,
    }


def test_a_finished_task_shows_its_result_and_stops_following(world: World) -> None:
    now = timezone.now()
    TaskRun.objects.filter(pk=world.a_run.pk).update(
        status="done",
        started_at=now,
        finished_at=now,
        done=3,
        total=3,
        message="已完成：处理 3 条甲",
        result={"n": 3},
    )
    html = client_for(world.cast.a_clerk).get(reverse("tasks:detail", args=[world.a_run.pk]))
    text = html.content.decode()
    assert "已完成" in text and "已完成：处理 3 条甲" in text
    assert "<th>处理条数</th><td>3</td>" in text  # the kind's Chinese label for its result
    assert "data-task-progress" not in text


def test_a_failed_task_says_why(world: World) -> None:
    now = timezone.now()
    TaskRun.objects.filter(pk=world.a_run.pk).update(
        status="failed", started_at=now, finished_at=now, message="第3行日期无效：2027-02-30"
    )
    text = client_for(world.cast.a_clerk).get(reverse("tasks:detail", args=[world.a_run.pk]))
    html = text.content.decode()
    assert '<div class="result failed"><h2>失败</h2><p>第3行日期无效：2027-02-30</p>' in html


def test_a_run_no_worker_took_or_left_running_is_flagged(world: World) -> None:
    client = client_for(world.cast.admin)
    url = reverse("tasks:progress", args=[world.a_run.pk])
    assert client.get(url).json()["warning"] == ""
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=3)):
        assert "尚未开始执行" in client.get(url).json()["warning"]
    started = timezone.now()
    TaskRun.objects.filter(pk=world.a_run.pk).update(
        status="running", started_at=started, updated_at=started
    )
    with time_machine.travel(started + dt.timedelta(minutes=9)):
        assert client.get(url).json()["warning"] == ""
    with time_machine.travel(started + dt.timedelta(minutes=11)):
        warning = client.get(url).json()["warning"]
        assert "已超过10分钟没有进展" in warning
        page = client.get(reverse("tasks:detail", args=[world.a_run.pk])).content.decode()
        assert warning in page
