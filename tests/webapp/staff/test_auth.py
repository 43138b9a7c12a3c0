"""Signing in to the staff console, and every protection around it, through Flask's test client."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from library.staffdb import StaffDB
from tests.webapp.staff.conftest import PASSWORD, csrf_token, make_staff_app, sign_in

# Every page of the console, and every URL that takes a POST.
STAFF_PAGES = [
    "/staff/",
    "/staff/report",
    "/staff/upload",
    "/staff/documents",
    "/staff/documents?q=amber",
    "/staff/documents/guides/first-hours",
    "/staff/audit",
    "/staff/audit?id=guides/first-hours",
]
STAFF_POSTS = ["/staff/logout", "/staff/upload", "/staff/documents/guides/first-hours"]


@pytest.mark.parametrize("page", STAFF_PAGES)
def test_a_page_without_a_session_sends_the_person_to_sign_in(
    guest: FlaskClient, page: str
) -> None:
    response = guest.get(page)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/staff/login?next=/staff/")


@pytest.mark.parametrize("url", STAFF_POSTS)
def test_a_post_without_a_session_is_forbidden_even_with_a_token(
    guest: FlaskClient, url: str
) -> None:
    token = csrf_token(guest.get("/staff/login").text)
    response = guest.post(url, data={"csrf_token": token})
    assert response.status_code == 403
    assert "Sign in first" in response.text


@pytest.mark.parametrize("page", STAFF_PAGES)
def test_signed_in_pages_open(signed_in: FlaskClient, page: str) -> None:
    response = signed_in.get(page)
    assert response.status_code == 200
    assert "maria" in response.text


def test_the_sign_in_form_needs_its_csrf_token(guest: FlaskClient) -> None:
    guest.get("/staff/login")
    data = {"username": "maria", "password": PASSWORD}
    assert guest.post("/staff/login", data=data).status_code == 400
    forged = guest.post("/staff/login", data={**data, "csrf_token": "forged"})
    assert forged.status_code == 400
    assert "did not come from this site" in forged.text
    assert guest.get("/staff/").status_code == 302  # not signed in


def test_a_signed_in_post_without_its_token_does_nothing(signed_in: FlaskClient) -> None:
    assert signed_in.post("/staff/logout").status_code == 400
    assert signed_in.get("/staff/").status_code == 200  # still signed in


def test_a_token_from_another_session_is_refused(staff_app: Flask, signed_in: FlaskClient) -> None:
    other = staff_app.test_client()
    token = csrf_token(other.get("/staff/login").text)
    assert signed_in.post("/staff/logout", data={"csrf_token": token}).status_code == 400


def test_a_wrong_password_does_not_sign_in(guest: FlaskClient) -> None:
    response = sign_in(guest, "maria", PASSWORD + "!")
    assert response.status_code == 200
    assert "do not match" in response.text
    assert guest.get("/staff/").status_code == 302
    assert "do not match" in sign_in(guest, "nobody", PASSWORD).text  # the same words


def test_signing_in_goes_where_the_person_was_going(guest: FlaskClient) -> None:
    response = sign_in(guest, "Maria", PASSWORD, next_url="/staff/audit?id=x")
    assert response.headers["Location"] == "/staff/audit?id=x"


@pytest.mark.parametrize(
    "target", ["//evil.example/", "https://evil.example/staff/", "/search", "/\\evil.example", ""]
)
def test_sign_in_never_redirects_off_the_console(guest: FlaskClient, target: str) -> None:
    response = sign_in(guest, "maria", PASSWORD, next_url=target)
    assert response.headers["Location"] == "/staff/"


def test_the_session_cookie_is_http_only_lax_kept_to_staff_and_lasts_a_day(
    guest: FlaskClient,
) -> None:
    response = sign_in(guest, "maria", PASSWORD)
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("mecp_staff=")
    for flag in ("HttpOnly", "SameSite=Lax", "Path=/staff"):
        assert flag in cookie
    assert "Secure" not in cookie  # plain http: a Secure cookie would never come back
    assert "Max-Age=86400" in cookie or "Expires=" in cookie
    again = guest.get("/staff/")  # every request starts the day again
    assert "mecp_staff=" in again.headers.get("Set-Cookie", "")


def test_the_cookie_is_secure_when_the_site_is_https(
    staff_db: Path, corpus: Path, index_dir: Path
) -> None:
    app = make_staff_app(staff_db, corpus, index_dir, BASE_URL="https://library.example.org")
    client = app.test_client()
    https = {"base_url": "https://localhost"}
    token = csrf_token(client.get("/staff/login", **https).text)
    response = client.post(
        "/staff/login",
        data={"username": "maria", "password": PASSWORD, "csrf_token": token},
        headers={"Referer": "https://localhost/staff/login"},
        **https,
    )
    assert response.status_code == 302
    assert "Secure" in response.headers["Set-Cookie"]


def test_a_session_idle_longer_than_its_lifetime_has_ended(
    staff_app: Flask, signed_in: FlaskClient
) -> None:
    assert staff_app.permanent_session_lifetime == timedelta(days=1)
    staff_app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(seconds=1)
    time.sleep(2.1)
    assert signed_in.get("/staff/").status_code == 302


def test_signing_out_ends_the_session_and_every_copy_of_its_cookie(
    staff_app: Flask, signed_in: FlaskClient
) -> None:
    cookie = signed_in.get_cookie("mecp_staff", path="/staff")
    assert cookie is not None
    token = csrf_token(signed_in.get("/staff/").text)
    response = signed_in.post("/staff/logout", data={"csrf_token": token}, follow_redirects=True)
    assert "You are signed out" in response.text
    assert signed_in.get("/staff/").status_code == 302
    thief = staff_app.test_client()
    thief.set_cookie("mecp_staff", cookie.value, path="/staff")
    assert thief.get("/staff/").status_code == 302


def test_a_new_password_or_a_removed_account_ends_open_sessions(
    staff_db: Path, signed_in: FlaskClient
) -> None:
    with StaffDB(staff_db) as db:
        db.set_password("maria", "a brand new passphrase")
    assert signed_in.get("/staff/").status_code == 302
    assert sign_in(signed_in, "maria", "a brand new passphrase").status_code == 302
    with StaffDB(staff_db) as db:
        db.remove_account("maria")
    assert signed_in.get("/staff/").status_code == 302


def _fail(client: FlaskClient, name: str, times: int, address: str) -> None:
    """Send a wrong password `times` times from an address."""
    for _ in range(times):
        response = sign_in(client, name, "not the password", environ_base={"REMOTE_ADDR": address})
        assert response.status_code == 200


def test_ten_failures_for_an_account_answer_429_even_for_the_right_password(
    guest: FlaskClient,
) -> None:
    _fail(guest, "maria", 10, "192.0.2.1")
    response = sign_in(guest, "maria", PASSWORD, environ_base={"REMOTE_ADDR": "198.51.100.2"})
    assert response.status_code == 429
    assert 0 < int(response.headers["Retry-After"]) <= 15 * 60
    assert "try again in 15 minutes" in response.text
    assert response.headers["Cache-Control"] == "no-store"


def test_ten_failures_from_an_address_answer_429_for_any_account_from_it(
    staff_db: Path, guest: FlaskClient
) -> None:
    with StaffDB(staff_db) as db:
        db.add_account("jo", PASSWORD)
    for number in range(10):
        _fail(guest, f"guess-{number}", 1, "203.0.113.5")
    blocked = sign_in(guest, "jo", PASSWORD, environ_base={"REMOTE_ADDR": "203.0.113.5"})
    assert blocked.status_code == 429
    elsewhere = sign_in(guest, "jo", PASSWORD, environ_base={"REMOTE_ADDR": "203.0.113.6"})
    assert elsewhere.status_code == 302


def test_failures_seen_by_one_serving_process_count_in_another(
    staff_db: Path, corpus: Path, index_dir: Path
) -> None:
    first = make_staff_app(staff_db, corpus, index_dir).test_client()
    second = make_staff_app(staff_db, corpus, index_dir).test_client()
    _fail(first, "maria", 10, "192.0.2.9")
    assert sign_in(second, "maria", PASSWORD).status_code == 429


def test_the_session_key_is_made_once_private_and_shared(
    staff_db: Path, corpus: Path, index_dir: Path, signed_in: FlaskClient
) -> None:
    key = staff_db.parent / "secret_key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    other = make_staff_app(staff_db, corpus, index_dir).test_client()
    cookie = signed_in.get_cookie("mecp_staff", path="/staff")
    assert cookie is not None
    other.set_cookie("mecp_staff", cookie.value, path="/staff")
    assert other.get("/staff/").status_code == 200  # another process reads the same key


def test_processes_racing_to_make_the_key_all_end_with_the_same_one(tmp_path: Path) -> None:
    code = (
        "import sys, time\nfrom pathlib import Path\n"
        "from webapp.staff.session import load_or_create_key\n"
        "time.sleep(max(0, float(sys.argv[2]) - time.time()))\n"
        "print(load_or_create_key(Path(sys.argv[1])))\n"
    )
    start = str(time.time() + 2)
    path = tmp_path / "var" / "secret_key"
    racers = [
        subprocess.Popen(
            [sys.executable, "-c", code, str(path), start], stdout=subprocess.PIPE, text=True
        )
        for _ in range(6)
    ]
    keys = {racer.communicate(timeout=60)[0].strip() for racer in racers}
    assert len(keys) == 1
    assert keys == {path.read_text().strip()}
    assert os.listdir(path.parent) == ["secret_key"]  # no temporary file left behind


def test_a_short_secret_key_is_refused_at_start_up(
    staff_db: Path, corpus: Path, index_dir: Path
) -> None:
    with pytest.raises(ValueError, match="at least 32 characters"):
        make_staff_app(staff_db, corpus, index_dir, SECRET_KEY="short")


@pytest.mark.parametrize("page", ["/staff/login", "/staff/"])
def test_staff_pages_are_never_cached_or_indexed(signed_in: FlaskClient, page: str) -> None:
    response = signed_in.get(page, follow_redirects=True)
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Robots-Tag"] == "noindex, nofollow"
    assert '<meta name="robots" content="noindex, nofollow">' in response.text
    assert "<script" not in response.text


@pytest.mark.parametrize("page", ["/", "/search", "/search?q=amber", "/families", "/about", "/x"])
def test_public_pages_never_link_to_the_console_or_set_a_cookie(
    staff_app: Flask, staff_db: Path, page: str
) -> None:
    client = staff_app.test_client()
    response = client.get(page)
    assert "/staff" not in response.text
    assert "Set-Cookie" not in response.headers
    assert not (staff_db.parent / "secret_key").exists()  # no session outside /staff


def test_behind_a_trusted_proxy_failures_count_per_client_address(
    staff_db: Path, corpus: Path, index_dir: Path
) -> None:
    app = make_staff_app(staff_db, corpus, index_dir, PROXY_HOPS=1)
    client = app.test_client()
    proxy = {"REMOTE_ADDR": "127.0.0.1"}
    for _ in range(10):
        response = sign_in(
            client, "guess", "wrong password", environ_base=proxy,
            headers={"X-Forwarded-For": "203.0.113.7"},
        )  # fmt: skip
        assert response.status_code == 200
    other = sign_in(client, "maria", PASSWORD, environ_base=proxy,
                    headers={"X-Forwarded-For": "203.0.113.8"})  # fmt: skip
    assert other.status_code == 302  # another client behind the same proxy
    same = sign_in(app.test_client(), "maria", PASSWORD, environ_base=proxy,
                   headers={"X-Forwarded-For": "203.0.113.7"})  # fmt: skip
    assert same.status_code == 429


def test_without_a_trusted_proxy_a_forwarded_address_is_ignored(guest: FlaskClient) -> None:
    for number in range(10):
        forged = {"X-Forwarded-For": f"198.51.100.{number}"}
        sign_in(guest, "guess", "wrong password", headers=forged)
    assert (
        sign_in(guest, "maria", PASSWORD, headers={"X-Forwarded-For": "198.51.100.99"}).status_code
        == 429
    )
