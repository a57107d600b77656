"""Applicants' personal data (个人信息保护法): ID numbers encrypted at rest, masked when shown,
revealed in full only on a recorded request of the handler or an approver of the case, and
erased after the retention period. See ``docs/privacy.md``.

- **Keys** live outside the database. The field key (Fernet, AES-128-CBC with HMAC-SHA256) comes
  from ``GONGKAI_FIELD_KEY`` (settings ``GONGKAI_FIELD_KEYS``; several keys comma-separated: the
  first encrypts, all decrypt, for rotation), else from the file ``field-key`` in the data folder,
  generated on first use with mode 0600. The digest key (HMAC-SHA256 of the normalised number,
  for equality look-ups) is a separate secret: ``GONGKAI_ID_DIGEST_KEY``, else ``id-digest-key``
  in the data folder. Neither is derived from ``SECRET_KEY``.
- **EncryptedCharField** stores the Fernet token in a text column; every look-up but ``isnull``
  is refused (a ciphertext never equals anything), so equality goes through the digest column
  (``DigestField``, kept by ``pre_save``, also on ``bulk_create``) and ``same_id_number_q``.
- **mask_id_number** keeps the first and last four characters (``1101**********1234``); history
  snapshots, lists, the admin and exports use it.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import secrets
import tempfile
import unicodedata
from functools import lru_cache
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.db import models

FIELD_KEY_FILE = "field-key"
DIGEST_KEY_FILE = "id-digest-key"
MASK = "*"
ERASED_NAME = "（已删除）"


# --- keys ---------------------------------------------------------------------------------------

def _key_file(folder: Path, name: str, make) -> str:
    """The key kept in ``folder/name``; created (mode 0600, never overwritten) when missing."""
    return _read_key_file(_resolved(str(folder)) / name, make)


@lru_cache(maxsize=16)
def _resolved(folder: str) -> Path:
    """The folder's absolute path, resolved once (every encrypted value asks for its key)."""
    return Path(folder).resolve()


@lru_cache(maxsize=16)
def _read_key_file(path: Path, make) -> str:
    if not path.exists():  # written whole under another name, then linked: never seen half-written
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")  # mode 0600
        try:
            with os.fdopen(descriptor, "w", encoding="ascii") as out:
                out.write(make() + "\n")
            os.link(temporary, path)
        except FileExistsError:  # another process made it first: use theirs
            pass
        finally:
            os.unlink(temporary)
    os.chmod(path, 0o600)
    return path.read_text(encoding="ascii").strip()


def _new_field_key() -> str:
    return Fernet.generate_key().decode("ascii")


def _new_digest_key() -> str:
    return secrets.token_urlsafe(32)


def _configured(name: str) -> list[str]:
    value = getattr(settings, name, None) or []
    if isinstance(value, str):
        value = value.split(",")
    return [v.strip() for v in value if v and v.strip()]


def field_keys() -> list[str]:
    """The field keys, the one that encrypts first: ``GONGKAI_FIELD_KEYS`` or the data folder's file."""
    return _configured("GONGKAI_FIELD_KEYS") or [_key_file(settings.DATA_DIR, FIELD_KEY_FILE, _new_field_key)]


def digest_key() -> bytes:
    """The key of the ID-number digest: ``GONGKAI_ID_DIGEST_KEY`` or the data folder's file."""
    configured = _configured("GONGKAI_ID_DIGEST_KEY")
    text = configured[0] if configured else _key_file(settings.DATA_DIR, DIGEST_KEY_FILE, _new_digest_key)
    return text.encode("utf-8")


@lru_cache(maxsize=8)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    fernets = []
    for number, key in enumerate(keys, 1):
        try:
            fernets.append(Fernet(key))
        except (ValueError, binascii.Error):
            raise ImproperlyConfigured(
                f"GONGKAI_FIELD_KEY 的第{number}个密钥无效：应为 Fernet 密钥（32字节的 URL 安全 Base64，44个字符）"
                f" (field key {number} is not a Fernet key)") from None
    return MultiFernet(fernets)


def cipher() -> MultiFernet:
    return _fernet(tuple(field_keys()))


def encrypt(text: str) -> str:
    return cipher().encrypt(text.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    try:
        return cipher().decrypt(token.encode("ascii")).decode("utf-8")
    except (InvalidToken, UnicodeEncodeError):
        raise ImproperlyConfigured(
            "身份证件号码无法解密：GONGKAI_FIELD_KEY（或数据目录中的 field-key 文件）与加密时使用的密钥不一致；"
            "请恢复原密钥，更换密钥时把旧密钥放在新密钥之后 (cannot decrypt: wrong field key)") from None


def is_token(value: str) -> bool:
    """Whether ``value`` looks like a Fernet token (version byte 0x80), not a clear number."""
    try:
        return base64.urlsafe_b64decode(value.encode("ascii") + b"==")[:1] == b"\x80" and len(value) >= 100
    except (binascii.Error, UnicodeEncodeError, ValueError):
        return False


# --- numbers ------------------------------------------------------------------------------------

def normalize_id_number(number: str | None) -> str:
    """The number as compared: full-width forms folded (NFKC), spaces and hyphens dropped, upper case."""
    text = unicodedata.normalize("NFKC", number or "")
    return "".join(ch for ch in text if not ch.isspace() and ch not in "-‐‑–—").upper()


def id_digest(number: str | None) -> str:
    """HMAC-SHA256 of the normalised number with the digest key; "" for no number."""
    normal = normalize_id_number(number)
    if not normal:
        return ""
    return hmac.new(digest_key(), normal.encode("utf-8"), hashlib.sha256).hexdigest()


def mask_id_number(number: str | None) -> str:
    """The number with its middle hidden: first and last 4 characters of an 18-digit number
    (``1101**********1234``); of a shorter one a quarter at each end, at most 4; "" for none."""
    text = (number or "").strip()
    if not text:
        return ""
    keep = min(4, len(text) // 4)
    if keep == 0:
        return MASK * len(text)
    return text[:keep] + MASK * (len(text) - 2 * keep) + text[-keep:]


def is_masked(value) -> bool:
    return isinstance(value, str) and MASK in value


def same_id_number_q(number: str | None) -> models.Q:
    """Applications with the same ID number as ``number`` (by the keyed digest; matches none for a
    blank number). Use it wherever two applicants' ID numbers are compared (e.g. a duplicate check):
    ``Application.objects.filter(same_id_number_q(number))``."""
    digest = id_digest(number)
    return models.Q(id_number_digest=digest) if digest else models.Q(pk__in=[])


# --- fields -------------------------------------------------------------------------------------

class EncryptedCharField(models.CharField):
    """A CharField kept encrypted (Fernet) in a text column; "" stays "" (nothing to hide).

    ``max_length`` limits the clear value (forms, validation); the column holds the longer token.
    Look-ups other than ``isnull`` raise FieldError: compare through a ``DigestField``.
    """

    def get_internal_type(self) -> str:
        return "TextField"

    def get_db_prep_value(self, value, connection, prepared=False):
        value = self.get_prep_value(value) if not prepared else value
        if value is None or value == "":
            return value
        return encrypt(str(value))

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return decrypt(value)

    def value_to_string(self, obj) -> str:
        """Serialised (backups, dumpdata) as a token, never in clear: restoring needs the key."""
        value = self.value_from_object(obj)
        return encrypt(str(value)) if value else (value or "")

    def to_python(self, value):
        """A token (from a backup being restored) is read back as its clear text."""
        if isinstance(value, str) and is_token(value):
            return decrypt(value)
        return super().to_python(value)


class _RefusedLookup:
    def get_prep_lookup(self):
        raise FieldError(f"加密字段“{self.lhs.field.verbose_name}”不能按内容查询，请使用其摘要字段 "
                         f"(encrypted field '{self.lhs.field.name}' does not support '{self.lookup_name}')")


for _name, _lookup in models.CharField.get_class_lookups().items():
    if _name != "isnull":
        EncryptedCharField.register_lookup(type(f"Encrypted{_lookup.__name__}", (_RefusedLookup, _lookup), {}))


class DigestField(models.CharField):
    """The keyed digest of another field of the same record (``source``), set on every save."""

    def __init__(self, *args, source: str = "", **kwargs):
        self.source = source
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        for key, default in (("max_length", 64), ("editable", False), ("blank", True)):
            if kwargs.get(key, default) == default:
                kwargs.pop(key, None)
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        value = id_digest(getattr(model_instance, self.source))
        setattr(model_instance, self.attname, value)
        return value


__all__ = ["EncryptedCharField", "DigestField", "ERASED_NAME", "field_keys", "digest_key", "encrypt", "decrypt",
           "id_digest", "mask_id_number", "normalize_id_number", "same_id_number_q", "is_masked", "is_token"]
