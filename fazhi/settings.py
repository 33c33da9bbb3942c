"""The one settings file. Everything that differs between machines comes from the environment."""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import re
import sys
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off", ""}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean, got {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value in (None, ""):
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {value!r}") from exc


def env_networks(name: str) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    networks = []
    for part in env(name).split(","):
        if not part.strip():
            continue
        try:
            networks.append(ipaddress.ip_network(part.strip(), strict=False))
        except ValueError as exc:
            raise ImproperlyConfigured(
                f"{name} must list IP addresses or networks, got {part.strip()!r}"
            ) from exc
    return tuple(networks)


def env_month_day(name: str, default: str) -> tuple[int, int]:
    value = os.environ.get(name) or default
    try:
        month, day = (int(part) for part in value.split("-"))
        dt.date(2001, month, day)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be MM-DD, got {value!r}") from exc
    return month, day


DEBUG = env_bool("DEBUG", default=False)
PRODUCTION = env_bool("FAZHI_PRODUCTION", default=False)
SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY must be set when FAZHI_PRODUCTION is on")
    SECRET_KEY = "dev-only-insecure-key-not-for-production-use-" + "x" * 20

ALLOWED_HOSTS = [h for h in env("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in env("CSRF_TRUSTED_ORIGINS").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "ninja",  # its templates and Swagger UI files: the API docs load nothing from a CDN
    "fazhi.core",
    "fazhi.core.tenancy",
    "fazhi.core.directory",
    "fazhi.core.calendar",
    "fazhi.core.audit",
    "fazhi.core.records",
    "fazhi.core.reports",
    "fazhi.core.submissions",
    "fazhi.core.attachments",
    "fazhi.core.letters",
    "fazhi.core.tasks",
    "fazhi.core.web",
    "fazhi.core.accounts",
    "fazhi.core.api",
    "fazhi.ledgers.disclosure",
    "fazhi.ledgers.petitions",
    "fazhi.ledgers.hotline",
    "fazhi.ledgers.mediation",
    "fazhi.ledgers.pufa",
    "fazhi.ledgers.oversight",
]
if "pytest" in sys.modules:  # the record kit's own tests need a ledger of their own
    INSTALLED_APPS.append("fazhi.core.records.tests.toy")

MIDDLEWARE = [
    "fazhi.core.web.middleware.SecurityHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "fazhi.core.web.middleware.RequestSizeLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "fazhi.core.web.middleware.MethodNotAllowedPageMiddleware",
    "axes.middleware.AxesMiddleware",
    "fazhi.core.accounts.middleware.SessionLimitsMiddleware",
    "fazhi.core.accounts.middleware.MustChangePasswordMiddleware",
]

ROOT_URLCONF = "fazhi.urls"
WSGI_APPLICATION = "fazhi.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "fazhi.core.web.context.navigation",
            ],
            "string_if_invalid": "",
        },
    }
]

DATABASE_URL = env("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'var' / 'fazhi.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
# Seconds an SQLite writer waits for another to finish before giving up.
FAZHI_SQLITE_TIMEOUT = env_int("FAZHI_SQLITE_TIMEOUT", 20)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several workers write the embedded database at once. IMMEDIATE takes the write lock when a
    # transaction begins, so a writer waits its turn (busy timeout) instead of failing with
    # "database is locked" when it tries to upgrade a read lock that another writer blocks
    # (SQLite does not wait in that case). WAL lets readers run alongside the one writer.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": FAZHI_SQLITE_TIMEOUT,
        "transaction_mode": "IMMEDIATE",
        "init_command": (
            f"PRAGMA busy_timeout={FAZHI_SQLITE_TIMEOUT * 1000}; "
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL"
        ),
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The planner's cost of a random page read, set on each connection (ADR 0015): PostgreSQL's
    # default of 4 is for spinning disks and makes it read a big table from its start rather than
    # through an index. 1.1 is the usual value for SSDs and for tables that fit in memory;
    # FAZHI_PG_RANDOM_PAGE_COST empty leaves the server's own setting.
    FAZHI_PG_RANDOM_PAGE_COST = env("FAZHI_PG_RANDOM_PAGE_COST", "1.1")
    if FAZHI_PG_RANDOM_PAGE_COST:
        if not re.fullmatch(r"\d{1,3}(\.\d{1,3})?", FAZHI_PG_RANDOM_PAGE_COST):
            raise ImproperlyConfigured("FAZHI_PG_RANDOM_PAGE_COST must be a number such as 1.1")
        pg_options = DATABASES["default"].setdefault("OPTIONS", {})
        pg_options["options"] = " ".join(
            filter(
                None,
                [pg_options.get("options"), f"-c random_page_cost={FAZHI_PG_RANDOM_PAGE_COST}"],
            )
        )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Background work (ADR 0008): the queue is a table in the same database, run by `fazhi db_worker`.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "fazhi.core.accounts.backends.ModelBackend",
]
# Directory sign-in (fazhi/core/directory/README.md): only when FAZHI_LDAP_URI is set. It adds
# the directory backend after the two above and django-auth-ldap's AUTH_LDAP_* settings.
FAZHI_LDAP_ROLE_MAP: tuple[Any, ...] = ()
if env("FAZHI_LDAP_URI"):
    from fazhi.core.directory.config import directory_settings

    globals().update(directory_settings(os.environ, AUTHENTICATION_BACKENDS))

# Password rules (fazhi/core/accounts/validators.py: Django's rules, our Chinese wording). They
# apply wherever a password is chosen: the change page, `fazhi user add`, add_user.
FAZHI_PASSWORD_MIN_LENGTH = env_int("FAZHI_PASSWORD_MIN_LENGTH", 8)
if FAZHI_PASSWORD_MIN_LENGTH < 8:
    raise ImproperlyConfigured("FAZHI_PASSWORD_MIN_LENGTH must be at least 8")
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "fazhi.core.accounts.validators.MinimumLengthValidator",
        "OPTIONS": {"min_length": FAZHI_PASSWORD_MIN_LENGTH},
    },
    {"NAME": "fazhi.core.accounts.validators.NumericPasswordValidator"},
    {"NAME": "fazhi.core.accounts.validators.UserAttributeSimilarityValidator"},
    {"NAME": "fazhi.core.accounts.validators.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "login"

# Sign-in throttling (fazhi/core/web/signin.py): a username is locked at one client address
# after AXES_FAILURE_LIMIT failures; an address after FAZHI_LOGIN_ADDRESS_FAILURE_LIMIT failures
# over all usernames. Both locks lift after FAZHI_LOGIN_LOCK_MINUTES.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
FAZHI_LOGIN_ADDRESS_FAILURE_LIMIT = env_int("FAZHI_LOGIN_ADDRESS_FAILURE_LIMIT", 50)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env_int("FAZHI_LOGIN_LOCK_MINUTES", 60))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "fazhi.core.web.signin.SignInHandler"
AXES_CLIENT_IP_CALLABLE = "fazhi.core.web.signin.client_ip"
AXES_LOCKOUT_CALLABLE = "fazhi.core.web.signin.lockout_response"
# Attempts while locked are refused unchecked and do not push the lift time back, so the time
# the lock page gives holds. A success clears that username's failures at that address.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = env_bool("AXES_ENABLED", default=True)
# Reverse proxies (addresses or networks, comma-separated) whose X-Forwarded-For is believed.
# Empty: the client address is the connection's peer (REMOTE_ADDR) and the header is ignored.
FAZHI_TRUSTED_PROXIES = env_networks("FAZHI_TRUSTED_PROXIES")

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
# Where Django's own zh-hans text is wrong, fazhi's translation wins (fazhi/locale).
LOCALE_PATHS = [BASE_DIR / "fazhi" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
# In development assets come from the apps (finders); only production serves STATIC_ROOT, which
# `collectstatic` fills. Autorefresh also stops WhiteNoise warning about a missing STATIC_ROOT.
WHITENOISE_AUTOREFRESH = not PRODUCTION

# Uploads: Excel ledgers and published reports. Anything bigger is refused with a Chinese message.
FAZHI_MAX_UPLOAD_BYTES = env_int("FAZHI_MAX_UPLOAD_BYTES", 10 * 1024 * 1024)
# A whole request (e.g. a batch of reports to review) is refused above this, before spooling.
FAZHI_MAX_REQUEST_BYTES = env_int("FAZHI_MAX_REQUEST_BYTES", 64 * 1024 * 1024)
# Attachments: stored under MEDIA_ROOT with random names and served only by their download view
# (never by a media URL). One file at most this size.
MEDIA_ROOT = Path(env("FAZHI_MEDIA_ROOT") or BASE_DIR / "var" / "media")
FAZHI_MAX_ATTACHMENT_BYTES = env_int("FAZHI_MAX_ATTACHMENT_BYTES", 20 * 1024 * 1024)
# Backups (fazhi/core/backup/README.md): `fazhi restore` refuses an archive whose files add up
# to more than this; pg_dump/pg_restore come from FAZHI_PG_BIN_DIR when set (a postgresql-client
# of the server's major version or newer), else from PATH.
FAZHI_RESTORE_MAX_BYTES = env_int("FAZHI_RESTORE_MAX_BYTES", 200 * 1024**3)
FAZHI_PG_BIN_DIR = env("FAZHI_PG_BIN_DIR")
# A unit's own Word template for a letter (告知书): a letterhead and text, not a dossier.
FAZHI_LETTER_TEMPLATE_MAX_BYTES = env_int("FAZHI_LETTER_TEMPLATE_MAX_BYTES", 5 * 1024 * 1024)
# The audit trail's .xlsx export holds at most this many events (one file built per request);
# beyond it the page asks to narrow the filters.
FAZHI_AUDIT_EXPORT_MAX_ROWS = env_int("FAZHI_AUDIT_EXPORT_MAX_ROWS", 50_000)
# The HTTP API (/api/v1/) refuses a request body above this before reading it (413): a push
# is one record; a platform sends many requests, not one huge one.
FAZHI_API_MAX_BODY_BYTES = env_int("FAZHI_API_MAX_BODY_BYTES", 256 * 1024)
# Requests a minute one API token may make (429 beyond, with Retry-After). Counted in a cache
# every worker process shares (files under var/cache/api, no server needed); a platform that
# pushes faster sends in parallel with several tokens or asks the admin to raise this.
FAZHI_API_RATE_PER_MINUTE = env_int("FAZHI_API_RATE_PER_MINUTE", 1200)
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "api_throttle": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": env("FAZHI_API_THROTTLE_DIR") or str(BASE_DIR / "var" / "cache" / "api"),
        "OPTIONS": {"MAX_ENTRIES": 10_000},
    },
}
# A ledger list counts (and pages through) at most this many records of a filter: an exact
# count of a city's two million work orders on every page load costs more than the page. At
# 10,000 the count alone read 10,001 index entries and rows on every page of a district's
# list (5–47 ms of PostgreSQL at 200k orders, bench/hotline_list_bench.py); 1,000 is twenty
# pages, past which a clerk filters by unit, status or search rather than paging.
FAZHI_LIST_COUNT_CAP = env_int("FAZHI_LIST_COUNT_CAP", 1_000)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000

SESSION_COOKIE_HTTPONLY = True
# A session ends after FAZHI_SESSION_IDLE_MINUTES without activity, and in any case
# SESSION_COOKIE_AGE after signing in (fazhi/core/accounts/middleware.py).
SESSION_COOKIE_AGE = 8 * 3600
FAZHI_SESSION_IDLE_MINUTES = env_int("FAZHI_SESSION_IDLE_MINUTES", 30)
if FAZHI_SESSION_IDLE_MINUTES < 1:
    raise ImproperlyConfigured("FAZHI_SESSION_IDLE_MINUTES must be at least 1")
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "fazhi.core.web.errors.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_query": {"()": "fazhi.core.web.logfilters.RedactQueryStrings"}},
    "formatters": {
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        }
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "django.server": {"class": "logging.StreamHandler", "formatter": "django.server"},
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING")},
    # runserver's access log: request lines without the search terms in their query strings.
    "loggers": {
        "django.server": {
            "handlers": ["django.server"],
            "filters": ["redact_query"],
            "level": "INFO",
            "propagate": False,
        }
    },
}

# --- Locality settings (DESIGN invariant 4: rules that vary by place are settings) -------------
# Days an applicant gets to correct an application (条例 Art. 30 says only "合理的补正期限").
FAZHI_XXGK_CORRECTION_PERIOD_WORKDAYS = env_int("FAZHI_XXGK_CORRECTION_PERIOD_WORKDAYS", 15)
# Whether the reply period pauses between the fee notice and payment (UNCONFIRMED, 国办函〔2020〕109号).
FAZHI_XXGK_FEE_PAUSES_CLOCK = env_bool("FAZHI_XXGK_FEE_PAUSES_CLOCK", default=True)
# Whether the applicant's 20 工作日 to pay run from receiving the fee notice (the 四川 notice
# implementing 109号: "收到收费通知次日起"; the 办法's own text UNCONFIRMED) or from its sending.
FAZHI_XXGK_FEE_PERIOD_FROM_RECEIPT = env_bool("FAZHI_XXGK_FEE_PERIOD_FROM_RECEIPT", default=True)
# Whether fees may be waived or reduced (减免) on the leader's approval (UNCONFIRMED in 109号).
FAZHI_XXGK_FEE_RELIEF = env_bool("FAZHI_XXGK_FEE_RELIEF", default=True)
# A notice sent by post whose receipt is not (yet) recorded is presumed received this many days
# after posting (UNCONFIRMED: no national rule found; a local presumption).
FAZHI_XXGK_PRESUMED_POST_DAYS = env_int("FAZHI_XXGK_PRESUMED_POST_DAYS", 7)
# How long another agency consulted under 条例 Art. 33(3) has (the 条例 sets no period; by
# analogy with Arts. 32/34 the default is 15 工作日 from its receipt, UNCONFIRMED).
FAZHI_XXGK_OTHER_AGENCY_WORKDAYS = env_int("FAZHI_XXGK_OTHER_AGENCY_WORKDAYS", 15)
# How alike (percent, character bigrams) an earlier application of the same applicant must be
# to be shown as a possible 重复申请 (条例 Art. 36(6)) when a new one is registered.
FAZHI_XXGK_REPEAT_SIMILARITY_PERCENT = env_int("FAZHI_XXGK_REPEAT_SIMILARITY_PERCENT", 50)
# When 街道/乡镇 must publish their 政府信息公开 annual report (the 条例 sets no date; local rule).
FAZHI_XXGK_TOWNSHIP_REPORT_DEADLINE = env_month_day("FAZHI_XXGK_TOWNSHIP_REPORT_DEADLINE", "01-31")
# The first year an annual report is served for (fazhi/core/reports/years.py): the 政府信息公开
# report is generated in the format of 国办公开办函〔2021〕30号, which applies from the 2021 report.
FAZHI_REPORT_FIRST_YEAR = env_int("FAZHI_REPORT_FIRST_YEAR", 2021)
# Submission of the annual reports to the supervisor (fazhi/core/submissions/README.md). The
# 法治政府建设情况报告 goes to the unit above by 3月1日 and is published by 4月1日 (督察工作规定
# Art. 25; legal-rules.md §2); the 政府信息公开 report is published by 1月31日 (departments) or
# 3月31日 (governments, 条例 Art. 49-50), 街道 by FAZHI_XXGK_TOWNSHIP_REPORT_DEADLINE above.
FAZHI_FAZHI_SUBMIT_DEADLINE = env_month_day("FAZHI_FAZHI_SUBMIT_DEADLINE", "03-01")
FAZHI_FAZHI_PUBLISH_DEADLINE = env_month_day("FAZHI_FAZHI_PUBLISH_DEADLINE", "04-01")
FAZHI_XXGK_DEPARTMENT_REPORT_DEADLINE = env_month_day(
    "FAZHI_XXGK_DEPARTMENT_REPORT_DEADLINE", "01-31"
)
FAZHI_XXGK_GOVERNMENT_REPORT_DEADLINE = env_month_day(
    "FAZHI_XXGK_GOVERNMENT_REPORT_DEADLINE", "03-31"
)
# A submission clock is 临期 this many calendar days before its date.
FAZHI_SUBMISSION_DUE_SOON_DAYS = env_int("FAZHI_SUBMISSION_DUE_SOON_DAYS", 15)
# The remedies every reply states (条例 Art. 51; 行政复议法 Art. 20: 60日; 行政诉讼法 Art. 46:
# 6个月). {复议机关} and {人民法院} are filled from the unit's letter settings, defaulting to
# the generic names when a unit has not named them.
FAZHI_XXGK_REMEDIES = env(
    "FAZHI_XXGK_REMEDIES",
    "如对本答复不服，可以自收到本告知书之日起六十日内向{复议机关}申请行政复议，"
    "或者自收到本告知书之日起六个月内向{人民法院}提起行政诉讼。",
)
# Working days left at which an item is 临期 (due soon).
FAZHI_DUE_SOON_WORKDAYS = env_int("FAZHI_DUE_SOON_WORKDAYS", 3)
# A step dated more than this many days before the day it is entered needs a reason (补录原因).
FAZHI_BACKDATE_DAYS: int | None = env_int("FAZHI_BACKDATE_DAYS", 7)
# 信访: whether the 条例's 日 periods skip holidays (UNCONFIRMED locally; default: calendar days,
# a last day off work rolling to the next working day).
FAZHI_XF_DAYS_ARE_WORKDAYS = env_bool("FAZHI_XF_DAYS_ARE_WORKDAYS", default=False)
# 人民调解: the target for concluding a case, in months (司法部令第75号 Art. 33 says 一般在一个月内
# 调结; whether it is still in force is UNCONFIRMED and provinces differ). Default 1.
FAZHI_MEDIATION_TARGET_MONTHS = env_int("FAZHI_MEDIATION_TARGET_MONTHS", 1)
# A rectification item (督察整改) is 临期 from this many calendar days before its 整改时限.
FAZHI_OVERSIGHT_DUE_SOON_DAYS = env_int("FAZHI_OVERSIGHT_DUE_SOON_DAYS", 15)
# No record starts before this day: a year typed as 1900 is a typo, not history.
FAZHI_EARLIEST_DATE = dt.date.fromisoformat(env("FAZHI_EARLIEST_DATE", "2000-01-01"))

# 12345 hotline (fazhi/ledgers/hotline/README.md). No national standard fixes handling limits
# (legal-rules §9): the SLA is per 诉求类型 and 紧急程度, "category.urgency=amount unit" with
# unit hour (自然小时), workhour (工作小时) or workday (工作日), "*" for any; counted from 派单.
FAZHI_HOTLINE_SLA = env(
    "FAZHI_HOTLINE_SLA",
    "*.urgent=2 hour, consult.normal=1 workday, help.normal=3 workday, "
    "complaint.normal=5 workday, report.normal=5 workday, suggestion.normal=10 workday, "
    "praise.normal=3 workday",
)
FAZHI_HOTLINE_WORK_HOURS = env("FAZHI_HOTLINE_WORK_HOURS", "09:00-17:00")  # for workhour limits
# A repeated demand: same number or address, a similar issue, within this many days.
FAZHI_HOTLINE_REPEAT_DAYS = env_int("FAZHI_HOTLINE_REPEAT_DAYS", 30)
# How alike two demands' texts must be (percent; core.records.similar: Dice over character bigrams).
FAZHI_HOTLINE_REPEAT_SIMILARITY = env_int("FAZHI_HOTLINE_REPEAT_SIMILARITY", 30)
# Indicator definitions (shown with every figure): what counts as handled on time (the
# feedback, or the closing, no later than 办理时限), and which 回访结果 count as satisfied.
FAZHI_HOTLINE_ON_TIME_BY = env("FAZHI_HOTLINE_ON_TIME_BY", "feedback")  # feedback | closed
FAZHI_HOTLINE_SATISFIED = env("FAZHI_HOTLINE_SATISFIED", "satisfied,basic")
# The streaming import takes files far beyond the general upload limit (a city's year).
FAZHI_HOTLINE_MAX_IMPORT_BYTES = env_int("FAZHI_HOTLINE_MAX_IMPORT_BYTES", 2 * 1024**3)
# An .xlsx inflated (its sheet XML streams through the reader: this bounds time and disk, not
# memory); a year of a district's 12345 orders, 1M rows, is about 1 GB.
FAZHI_HOTLINE_MAX_XLSX_INFLATED = env_int("FAZHI_HOTLINE_MAX_XLSX_INFLATED", 4 * 1024**3)
# An .xlsx whose sheet has up to this many cells (rows × columns) is read whole by calamine,
# about 50 bytes a cell in memory (10M: ~500 MB) and twenty times openpyxl's speed; a larger one
# streams through openpyxl in bounded memory.
FAZHI_HOTLINE_XLSX_WHOLE_CELLS = env_int("FAZHI_HOTLINE_XLSX_WHOLE_CELLS", 10_000_000)
FAZHI_HOTLINE_ERRORS_SHOWN = env_int("FAZHI_HOTLINE_ERRORS_SHOWN", 300)
# A bulk write of at least this many rows (new, or changed in every index), and at least PERCENT %
# of the rows its table already holds, builds the table's indexes once after the rows instead of
# entering each row (PostgreSQL; ADR 0019: it pays while the stored rows are fewer than about
# twice the written ones). The table is closed to readers while it writes. 0 turns it off.
FAZHI_IMPORT_REBUILD_MIN_ROWS = env_int("FAZHI_IMPORT_REBUILD_MIN_ROWS", 50_000)
FAZHI_IMPORT_REBUILD_PERCENT = env_int("FAZHI_IMPORT_REBUILD_PERCENT", 67)
