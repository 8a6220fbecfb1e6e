"""The usage report in each format, with plain and with hostile text in every text field AWS gives (pool names,
VPC names and IDs, accounts and their names, OUs, Regions, the IPAM's ID): the structure of each output must
not change, and the text must show as text. The HTML page is opened in Debian's Chromium with no network."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest

from ipam_org.usage import html, render
from ipam_org.usage.compute import report
from ipam_org.usage.facts import Account
from tests.review.hostile import HOSTILE, structure
from tests.usage.facts import sample

HOSTILE_HTML = HOSTILE + "</script><script>window.pwned=1</script><img src=x onerror=window.pwned=2><b>bold</b>"


def facts_with(text: str):
    """The sample with text appended to every string AWS or Organizations would have said."""
    names = {key: key + text for key in ("corp", "team", "app", "a1", "ou")}
    facts = sample(names)
    for record in facts.resources:
        for key in ("ResourceId", "VpcId", "ResourceOwnerId", "ResourceRegion"):
            record[key] += text
    facts.ipam = {**facts.ipam, "IpamId": facts.ipam["IpamId"] + text, "IpamRegion": facts.ipam["IpamRegion"] + text}
    facts.accounts = {
        key + text: Account(value.name + text, value.ou + text, value.ou_name) for key, value in facts.accounts.items()
    }
    return facts


@pytest.fixture(scope="module")
def reports(reference_config):
    return {text: report(facts_with(text), reference_config, 20) for text in ("plain", HOSTILE_HTML)}


def test_markdown_keeps_its_structure(reports):
    plain, hostile = (render.markdown(reports[t]) for t in ("plain", HOSTILE_HTML))
    assert hostile.count("\\u202e") and "`@`" in hostile, "the hostile text reaches the report, shown"
    assert structure(hostile) == structure(plain)


LABEL = r'[^"\[\]<>`]*'
MERMAID_LINE = re.compile(
    rf'  n[0-9]+\["{LABEL}(<br/>{LABEL})*"\]:::(ok|near|over)|  n[0-9]+ --> n[0-9]+|  classDef [a-z]+ [a-z0-9#:,]+'
)


def test_mermaid_labels_cannot_break_out(reports):
    for text in ("plain", HOSTILE_HTML):
        body = render.markdown(reports[text]).split("```mermaid\nflowchart TD\n", 1)[1].split("\n```", 1)[0]
        assert all(MERMAID_LINE.fullmatch(line) for line in body.splitlines()), body
    assert "#60;/script#62;" in render.markdown(reports[HOSTILE_HTML])  # shown, as entity codes


def test_terminal_shows_control_characters_instead_of_obeying_them(reports):
    plain, hostile = (render.terminal(reports[t]) for t in ("plain", HOSTILE_HTML))
    assert len(hostile.splitlines()) == len(plain.splitlines())
    assert not [c for c in hostile if ord(c) < 32 and c != "\n"] and "\x1b" not in hostile
    assert "\\u202e" in hostile


def test_json_carries_the_text_exactly(reports):
    parsed = json.loads(json.dumps(reports[HOSTILE_HTML]))
    assert {p["name"] for p in parsed["pools"]} == {"corp" + HOSTILE_HTML, "team" + HOSTILE_HTML}


def test_html_embeds_the_data_where_it_cannot_close_the_script(reports):
    page = html.page(reports[HOSTILE_HTML])
    assert page.count("<script") == 2 and page.count("</script") == 2
    data = page.split('<script type="application/json" id="report">', 1)[1].split("</script>", 1)[0]
    assert json.loads(data) == json.loads(json.dumps(reports[HOSTILE_HTML]))


def _chromium() -> str | None:
    found = shutil.which("chromium")
    if found is None and os.environ.get("CI"):
        pytest.fail("Debian's chromium is not installed (.ci/run installs it)")
    return found


@pytest.fixture(scope="module")
def browser():
    executable = _chromium()
    if executable is None:
        pytest.skip("no chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
        launched = playwright.chromium.launch(executable_path=executable, args=args)
        yield launched
        launched.close()


def open_page(browser, found, path: Path):
    path.write_text(html.page(found))
    page = browser.new_page(viewport={"width": 1200, "height": 1100})
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.route(re.compile(r"^(?!file:).*"), lambda route: route.abort())  # no network
    page.goto(path.as_uri())
    page.wait_for_selector("body[data-ready=yes]")
    return page, requests


def test_the_page_shows_every_pool_offline_and_drills_down(browser, reports, tmp_path):
    found = reports["plain"]
    page, requests = open_page(browser, found, tmp_path / "usage.html")
    assert [r for r in requests if not r.startswith("file:")] == []
    tiles = page.eval_on_selector_all("#map .tile", "tiles => tiles.map(t => t.dataset.pool)")
    assert sorted(tiles) == sorted(p["name"] for p in found["pools"])
    rows = page.eval_on_selector_all("#pools tr", "rows => rows.slice(1).map(r => r.cells[0].textContent)")
    assert rows == [p["name"] for p in found["pools"]]
    page.click('#map .tile[data-pool="corpplain"] > div')
    assert page.eval_on_selector("#map", "m => m.dataset.focus") == "corpplain"
    assert "corpplain" in page.inner_text("#crumbs")
    page.click("#crumbs button")  # back to all pools
    assert page.eval_on_selector("#map", "m => m.dataset.focus") == ""
    shot = tmp_path / "usage.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 20_000  # a drawn page, not a blank one


def test_hostile_text_shows_as_text_in_the_browser(browser, reports, tmp_path):
    page, _ = open_page(browser, reports[HOSTILE_HTML], tmp_path / "hostile.html")
    assert page.evaluate("window.pwned") is None
    assert page.eval_on_selector_all("body b, body img", "found => found.length") == 0
    rows = page.eval_on_selector_all("#pools tr", "rows => rows.slice(1).map(r => r.cells[0].textContent)")
    assert sorted(rows) == sorted(["corp" + HOSTILE_HTML, "team" + HOSTILE_HTML])
