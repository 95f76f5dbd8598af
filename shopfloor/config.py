"""Configuration: built-in defaults, then a TOML file, then SHOPFLOOR_* environment variables.

Every key is declared once in ``SETTINGS`` with its type, default and meaning;
``config.example.toml`` documents the same keys (a test keeps the two in step).
An unknown key or a value of the wrong type stops start-up with a message naming
the key and where it came from.
"""

from __future__ import annotations

import os
import secrets
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

ENV_PREFIX = "SHOPFLOOR_"
# Variables that share the prefix but are not configuration keys.
ENV_NOT_SETTINGS = frozenset(
    {"SHOPFLOOR_CONFIG", "SHOPFLOOR_INSTANCE_PATH", "SHOPFLOOR_TEST_DATABASE_URL",
     "SHOPFLOOR_REQUIRE_BROWSER", "SHOPFLOOR_TEST_OUTPUT", "SHOPFLOOR_CHROMIUM"}
)
LANGUAGES = ("pl", "en")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


class ConfigError(Exception):
    """A configuration value is missing, unknown or of the wrong type."""


@dataclass(frozen=True)
class Setting:
    """One configuration key: dotted name, Python type, default and meaning."""

    key: str
    type: type
    default: Any
    help: str
    choices: tuple[str, ...] | None = None

    @property
    def env_name(self) -> str:
        """The environment variable that overrides this key."""
        return ENV_PREFIX + self.key.replace(".", "_").upper()


SETTINGS: tuple[Setting, ...] = (
    Setting("database_url", str, "",
            "SQLAlchemy URL. Empty: SQLite file shopfloor.db in the instance folder. "
            "PostgreSQL: postgresql+psycopg://user:password@host:5432/shopfloor"),
    Setting("secret_key", str, "",
            "Signs sessions and CSRF tokens. Empty: generated once into <instance>/secret_key."),
    Setting("public_base_url", str, "http://127.0.0.1:5000",
            "Address people reach Shopfloor at; QR codes hold <public_base_url>/s/<CODE>."),
    Setting("time_zone", str, "Europe/Warsaw",
            "Time zone for showing times (they are stored in UTC)."),
    Setting("default_language", str, "pl",
            "Interface language when neither the user nor the browser chooses one.",
            choices=LANGUAGES),
    Setting("cooperative.name", str, "Spółdzielnia Socjalna",
            "The cooperative's name, shown in the header and printed on documents."),
    Setting("cooperative.address", str, "",
            "The cooperative's postal address, printed on delivery notes and labels."),
    Setting("cooperative.nip", str, "", "The cooperative's tax id (NIP), printed on documents."),
    Setting("gs1.company_prefix", str, "",
            "Your GS1 company prefix (7 to 10 digits), for SSCC pallet codes. Empty: no SSCCs."),
    Setting("gs1.extension_digit", int, 0, "SSCC extension digit (0 to 9)."),
    Setting("smtp.host", str, "", "SMTP server for e-mail. Empty: e-mail is not sent."),
    Setting("smtp.port", int, 587, "SMTP port."),
    Setting("smtp.username", str, "", "SMTP user name; empty for no authentication."),
    Setting("smtp.password", str, "", "SMTP password."),
    Setting("smtp.security", str, "starttls", "Connection security.",
            choices=("starttls", "ssl", "none")),
    Setting("smtp.sender", str, "shopfloor@localhost", "From address of outgoing e-mail."),
    Setting("smtp.timeout_seconds", int, 10, "How long to wait for the SMTP server."),
    Setting("smtp.max_attempts", int, 10,
            "Attempts to send one e-mail before it is marked failed (retried after 1, 5, 15, "
            "60, then every 240 minutes)."),
    Setting("scheduler.enabled", bool, True,
            "Whether `shopfloor scheduler` runs the periodic jobs."),
    Setting("scheduler.deadline_check_minutes", int, 15,
            "How often the deadline watch runs, in minutes."),
    Setting("scheduler.in_process", bool, False,
            "Run the jobs inside `shopfloor serve` too (a one-process demo; production runs "
            "`shopfloor scheduler` beside the web server instead)."),
    Setting("scheduler.misfire_grace_seconds", int, 300,
            "A run missed (scheduler down or busy) is still made up within this many seconds."),
    Setting("scheduler.morning_digest_hour", int, 7,
            "Hour of the day (local time, 0 to 23) the managers' morning summary is sent."),
    Setting("scheduler.partner_digest_weekday", str, "monday",
            "Day of the week the partners' weekly status e-mail is sent.", choices=WEEKDAYS),
    Setting("scheduler.partner_digest_hour", int, 8,
            "Hour of the day (local time, 0 to 23) the partners' weekly status e-mail is sent."),
    Setting("scheduler.keep_runs_days", int, 90,
            "Job runs, sent e-mail and read notifications older than this many days are "
            "deleted by the daily clean-up (the last run of each job is always kept)."),
    Setting("scheduler.help_escalation_minutes", int, 5,
            "Minutes a help call may wait unanswered before all supervisors and managers "
            "are told."),
    Setting("scheduler.lease_seconds", int, 30,
            "How often the running scheduler renews its lease, in seconds; a stopped "
            "scheduler's lease expires after three times this."),
    Setting("working_time.night_starts", str, "22:00",
            "Start of the night period (8 hours between 21:00 and 07:00, Labour Code)."),
    Setting("working_time.night_ends", str, "06:00", "End of the night period."),
    Setting("working_time.extra_break_minutes", int, 15,
            "The extra break every worker gets (Rehabilitation Act art. 17), in minutes."),
    Setting("planning.horizon_days", int, 90,
            "How many days ahead the order forecast loads work onto the workers' time."),
    Setting("api.rate_limit_per_minute", int, 120,
            "Requests a minute one API token may make; more are answered 429."),
    Setting("webhooks.timeout_seconds", int, 10,
            "How long to wait for a partner's webhook receiver, in seconds."),
    Setting("webhooks.max_attempts", int, 8,
            "Attempts to deliver one webhook before it is marked failed (retried after 1, 5, "
            "15, 60, then every 240 minutes)."),
    Setting("webhooks.ca_file", str, "",
            "A PEM file of extra certificate authorities trusted for webhook receivers (a "
            "private CA); empty: the system's CAs only."),
    Setting("webhooks.allowed_private_hosts", str, "",
            "Comma-separated host names or IPs that webhooks may reach although they are in a "
            "private or local network; empty: only public addresses."),
    Setting("portal.invite_days", int, 7,
            "Days an invitation link to the partner portal works (1 to 30)."),
    Setting("planning.daily_plan_hour", int, 6,
            "Hour of the day (local time, 0 to 23) the day's plan is made: a plan confirmed "
            "beforehand goes to the stations, else the planner suggests one for the supervisors."),
    Setting("planning.at_risk_days", int, 2,
            "An order line is at risk when fewer working days than this are left between its "
            "projected completion and its due date."),
    Setting("soap.weight_tolerance_percent", int, 5,
            "A soap ingredient weighed off its planned weight by more than this share (%) "
            "is a warning kept with the batch."),
    Setting("soap.allergen_threshold_ppm", int, 100,
            "A fragrance allergen above this many parts per million of the product is named "
            "in the INCI list: 100 (0.01 %) for rinse-off soap, 10 for leave-on products."),
    Setting("copack.tolerance_per_mille", int, 5,
            "A co-packing order closes only when every component of the partner's material "
            "is counted and the difference from the book is at most this many thousandths of "
            "what was received (5 = 0.5 %); printed countables (labels, inserts, cartons) "
            "must match exactly."),
    Setting("portal.status_link_days", int, 30,
            "How many days a partner's read-only order status link stays valid (1 to 365)."),
    Setting("uploads.max_bytes", int, 10 * 1024 * 1024,
            "Largest accepted upload (photos, audio), in bytes."),
    Setting("uploads.max_video_bytes", int, 100 * 1024 * 1024,
            "Largest accepted step film, in bytes (it is re-encoded to a small MP4 of at "
            "most a minute)."),
    Setting("uploads.max_image_pixels", int, 40_000_000,
            "Largest accepted image, in pixels (width x height)."),
    Setting("security.sign_in_attempts_per_account", int, 5,
            "Failed sign-ins allowed per account name within the window."),
    Setting("security.sign_in_attempts_per_address", int, 20,
            "Failed sign-ins allowed per network address within the window."),
    Setting("security.sign_in_window_minutes", int, 15,
            "Length of the sign-in attempt window and of the wait after it is used up."),
    Setting("security.session_hours", int, 12,
            "A staff session ends after this many hours without activity."),
    Setting("security.proxy_hops", int, 0,
            "Reverse proxies in front of Shopfloor whose X-Forwarded-* headers are trusted."),
)
SETTINGS_BY_KEY = {s.key: s for s in SETTINGS}


def _coerce(setting: Setting, value: Any, source: str) -> Any:
    """Check (and for environment strings, convert) one value against its setting."""
    from_env = source.startswith("environment")
    if setting.type is bool:
        if from_env and isinstance(value, str):
            lowered = value.strip().lower()
            if lowered in {"1", "true", "yes", "on"}:
                value = True
            elif lowered in {"0", "false", "no", "off"}:
                value = False
        if not isinstance(value, bool):
            raise ConfigError(
                f"{setting.key} in {source} must be true or false, not {value!r}.")
    elif setting.type is int:
        if from_env and isinstance(value, str):
            try:
                value = int(value.strip())
            except ValueError:
                raise ConfigError(
                    f"{setting.key} in {source} must be a whole number, not {value!r}."
                ) from None
        if isinstance(value, bool) or not isinstance(value, int):
            raise ConfigError(f"{setting.key} in {source} must be a whole number, not {value!r}.")
        if value < 0:
            raise ConfigError(f"{setting.key} in {source} must not be negative, got {value}.")
    elif not isinstance(value, str):
        raise ConfigError(f"{setting.key} in {source} must be text, not {value!r}.")
    if setting.choices and value not in setting.choices:
        allowed = ", ".join(setting.choices)
        raise ConfigError(f"{setting.key} in {source} must be one of {allowed}, not {value!r}.")
    return value


def _flatten(data: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """Turn nested TOML tables into dotted keys."""
    flat: dict[str, Any] = {}
    for name, value in data.items():
        key = f"{prefix}{name}"
        if isinstance(value, Mapping) and not any(s.key == key for s in SETTINGS):
            flat.update(_flatten(value, key + "."))
        else:
            flat[key] = value
    return flat


def _apply(values: dict[str, Any], data: Mapping[str, Any], source: str) -> None:
    for key, value in _flatten(data).items():
        setting = SETTINGS_BY_KEY.get(key)
        if setting is None:
            raise ConfigError(f"Unknown configuration key {key!r} in {source}.")
        values[key] = _coerce(setting, value, source)


def read_toml(path: Path) -> dict[str, Any]:
    """Read one TOML configuration file, with a message naming the file on a syntax error."""
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise ConfigError(f"Configuration file {path} does not exist.") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"Configuration file {path} is not valid TOML: {exc}.") from None


@dataclass(frozen=True)
class Settings:
    """The resolved configuration, with dotted keys, and where each file came from."""

    values: Mapping[str, Any]
    config_file: Path | None

    def __getitem__(self, key: str) -> Any:
        return self.values[key]


def load_settings(instance_path: Path, overrides: Mapping[str, Any] | None = None,
                  environ: Mapping[str, str] | None = None) -> Settings:
    """Resolve configuration: defaults, the TOML file, SHOPFLOOR_* variables, then overrides.

    The file is ``$SHOPFLOOR_CONFIG`` when set, else ``<instance>/config.toml`` when present.
    ``overrides`` (used by tests and embedding code) take dotted or nested lowercase keys.
    """
    environ = os.environ if environ is None else environ
    values = {s.key: s.default for s in SETTINGS}

    config_file: Path | None = None
    if environ.get("SHOPFLOOR_CONFIG"):
        config_file = Path(environ["SHOPFLOOR_CONFIG"]).expanduser()
    elif (instance_path / "config.toml").is_file():
        config_file = instance_path / "config.toml"
    if config_file is not None:
        _apply(values, read_toml(config_file), f"configuration file {config_file}")

    for name, raw in environ.items():
        if not name.startswith(ENV_PREFIX) or name in ENV_NOT_SETTINGS:
            continue
        setting = next((s for s in SETTINGS if s.env_name == name), None)
        if setting is None:
            raise ConfigError(f"Unknown configuration key in environment variable {name}.")
        values[setting.key] = _coerce(setting, raw, f"environment variable {name}")

    if overrides:
        _apply(values, overrides, "create_app(config=...)")

    _check_values(values)
    return Settings(values=values, config_file=config_file)


def _check_values(values: dict[str, Any]) -> None:
    """Cross-field checks that a type alone cannot express."""
    try:
        ZoneInfo(values["time_zone"])
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"time_zone {values['time_zone']!r} is not a known time zone.") from None
    prefix = values["gs1.company_prefix"]
    if prefix and (not prefix.isdigit() or not 7 <= len(prefix) <= 10):
        raise ConfigError(f"gs1.company_prefix must be 7 to 10 digits, not {prefix!r}.")
    if values["gs1.extension_digit"] > 9:
        raise ConfigError("gs1.extension_digit must be a single digit (0 to 9).")
    if not 0 <= values["copack.tolerance_per_mille"] <= 1000:
        raise ConfigError("copack.tolerance_per_mille must be from 0 to 1000.")
    if not 1 <= values["smtp.port"] <= 65535:
        raise ConfigError(f"smtp.port must be from 1 to 65535, not {values['smtp.port']}.")
    if values["smtp.timeout_seconds"] < 1:
        raise ConfigError("smtp.timeout_seconds must be at least 1.")
    if values["smtp.max_attempts"] < 1:
        raise ConfigError("smtp.max_attempts must be at least 1.")
    if values["scheduler.morning_digest_hour"] > 23:
        raise ConfigError("scheduler.morning_digest_hour must be an hour from 0 to 23.")
    if values["scheduler.partner_digest_hour"] > 23:
        raise ConfigError("scheduler.partner_digest_hour must be an hour from 0 to 23.")
    if values["scheduler.keep_runs_days"] < 1:
        raise ConfigError("scheduler.keep_runs_days must be at least 1.")
    if values["scheduler.lease_seconds"] < 1:
        raise ConfigError("scheduler.lease_seconds must be at least 1.")
    if values["api.rate_limit_per_minute"] < 1:
        raise ConfigError("api.rate_limit_per_minute must be at least 1.")
    if not 1 <= values["webhooks.timeout_seconds"] <= 120:
        raise ConfigError("webhooks.timeout_seconds must be from 1 to 120.")
    if values["webhooks.max_attempts"] < 1:
        raise ConfigError("webhooks.max_attempts must be at least 1.")
    if values["webhooks.ca_file"] and not Path(values["webhooks.ca_file"]).is_file():
        raise ConfigError(f"webhooks.ca_file {values['webhooks.ca_file']!r} is not a file.")
    if not 1 <= values["portal.invite_days"] <= 30:
        raise ConfigError("portal.invite_days must be from 1 to 30.")
    if values["planning.daily_plan_hour"] > 23:
        raise ConfigError("planning.daily_plan_hour must be an hour from 0 to 23.")
    if not 1 <= values["planning.horizon_days"] <= 366:
        raise ConfigError("planning.horizon_days must be from 1 to 366.")
    if not 1 <= values["portal.status_link_days"] <= 365:
        raise ConfigError("portal.status_link_days must be from 1 to 365.")
    from shopfloor.planning.worktime import night_period

    try:
        night_period(values["working_time.night_starts"], values["working_time.night_ends"])
    except ValueError as exc:
        raise ConfigError(f"working_time.night_starts/night_ends: {exc}.") from None
    base = values["public_base_url"]
    if not base.startswith(("http://", "https://")):
        raise ConfigError(f"public_base_url must start with http:// or https://, not {base!r}.")
    values["public_base_url"] = base.rstrip("/")


def database_url(settings: Settings, instance_path: Path) -> str:
    """The SQLAlchemy URL: the configured one, else a SQLite file in the instance folder."""
    url = settings["database_url"]
    if url:
        if url.startswith("postgresql://"):
            # Plain postgresql:// would select psycopg2, which is not installed.
            url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
        return url
    return f"sqlite:///{instance_path / 'shopfloor.db'}"


def secret_key(settings: Settings, instance_path: Path) -> str:
    """The configured secret key, else one generated once into <instance>/secret_key."""
    if settings["secret_key"]:
        return settings["secret_key"]
    path = instance_path / "secret_key"
    instance_path.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        key = path.read_text(encoding="ascii").strip()
        if len(key) < 32:
            raise ConfigError(f"The secret key in {path} is too short; delete the file "
                              "to generate a new one (everyone will be signed out).") from None
        return key
    key = secrets.token_hex(32)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(key + "\n")
    return key
