import io, json
import pytest, time_machine, datetime as dt
from django.core.management import call_command
NOW = dt.datetime(2026, 11, 25, 10, 0, tzinfo=dt.UTC)

@pytest.mark.django_db
def test_smoke():
    from fazhi.core.tenancy.models import OrgUnit
    from fazhi.core.reports import fazhi
    from fazhi.core.reports.render_html import render_html
    from fazhi.core.web.fazhi_report import _link
    with time_machine.travel(NOW, tick=False):
        call_command("seed_demo", stdout=io.StringIO())
        top = OrgUnit.objects.get(parent=None)
        st = OrgUnit.objects.filter(parent=top).first()
        for u, sub in ((st, False), (top, True)):
            r = fazhi.build(u, 2026, subtree=sub)
            print(json.dumps(r.as_json(), ensure_ascii=False, indent=1)[:3000])
            print(render_html(r.document(_link(u, 2026)))[:3000])
