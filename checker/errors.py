"""Errors that end a document's check, each with its own stable exit code and a one-line Chinese message.

Exit codes (documented in README, stable for trading platforms):
  0  no finding at or above the fail level        1  findings at or above the fail level
  2  usage, configuration or rule-pack error
  3..11  the document could not be read; 3 is the generic case, 4..11 name the reason.
  12 internal error (a bug in tendercheck; report it with the document)
  13..18 a resource limit (checker/limits.py)   19 read but damaged, and no finding at the fail level
A platform that only needs "unreadable" tests `code >= 3`.
"""
from __future__ import annotations

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 12  # a bug in tendercheck itself: one line, never a traceback (TENDERCHECK_DEBUG=1 shows it)
# 13..18: resource limits (checker/limits.py). 19: read, but damaged: no finding may not be read as "passed".
EXIT_DAMAGED = 19


class TenderCheckError(Exception):
    """Base class: anything the CLI turns into one line on stderr and an exit code."""

    exit_code = EXIT_USAGE
    code = "error"

    def __init__(self, message: str, path: str | None = None):
        super().__init__(message)
        self.message = message
        self.path = path

    def one_line(self) -> str:
        where = f"{self.path}: " if self.path else ""
        return f"tendercheck: {where}{self.message} [{self.code}]".replace("\n", " ")


class UsageError(TenderCheckError):
    exit_code = EXIT_USAGE
    code = "usage"


class RulePackError(TenderCheckError):
    exit_code = EXIT_USAGE
    code = "rule-pack"


class ConfigError(TenderCheckError):
    """Invalid configuration: exit code 2, like a usage or rule-pack error. (Here rather than in config.py so that
    rule selection, checker/rules/registry.py, can raise it without importing the configuration module.)"""

    code = "config"


class InputError(TenderCheckError):
    """The document could not be read."""

    exit_code = 3
    code = "unreadable"


class CorruptFile(InputError):
    exit_code = 3
    code = "corrupt"


class EncryptedFile(InputError):
    exit_code = 4
    code = "encrypted"


class NoTextLayer(InputError):
    exit_code = 5
    code = "no-text-layer"


class GarbledText(InputError):
    exit_code = 6
    code = "garbled-text"


class EmptyFile(InputError):
    exit_code = 7
    code = "empty"


class UnsupportedType(InputError):
    exit_code = 8
    code = "unsupported-type"


class UnsafeFile(InputError):
    exit_code = 9
    code = "unsafe"


class TooLarge(InputError):
    exit_code = 10
    code = "too-large"


class ConverterMissing(InputError):
    exit_code = 11
    code = "converter-missing"


class LimitExceeded(InputError):
    """A resource limit of checker/limits.py (README, Limits): 13..18."""

    code = "limit"


class TooMuchXml(LimitExceeded):
    exit_code = 13
    code = "too-much-xml"


class TooManyPages(LimitExceeded):
    exit_code = 14
    code = "too-many-pages"


class TooManyClauses(LimitExceeded):
    exit_code = 15
    code = "too-many-clauses"


class TooManyCharacters(LimitExceeded):
    exit_code = 16
    code = "too-many-characters"


class TooManyFindings(LimitExceeded):
    exit_code = 17
    code = "too-many-findings"


class OutOfMemory(LimitExceeded):
    exit_code = 18
    code = "memory-limit"


class Damaged(InputError):
    """Not raised while reading (the report is still made): the one line `check` prints when a damaged document
    has no finding at the fail level, so its exit code is 19 instead of 0."""

    exit_code = EXIT_DAMAGED
    code = "damaged"


INPUT_ERRORS = [CorruptFile, EncryptedFile, NoTextLayer, GarbledText, EmptyFile, UnsupportedType, UnsafeFile,
                TooLarge, ConverterMissing, TooMuchXml, TooManyPages, TooManyClauses, TooManyCharacters, TooManyFindings,
                OutOfMemory, Damaged]


_OS_REASONS = {"EACCES": "没有读取权限", "EPERM": "操作不被允许", "EINVAL": "无法按普通文件读取", "EIO": "磁盘读写错误",
               "ENOENT": "文件不存在", "EISDIR": "这是一个目录", "ENXIO": "设备不存在", "ELOOP": "符号链接循环",
               "ENAMETOOLONG": "文件名过长", "EMFILE": "打开的文件过多", "ENOSPC": "磁盘空间不足", "EROFS": "文件系统只读"}


def os_reason(exc: OSError) -> str:
    """An OSError in Chinese for the one-line message ("Invalid argument" meant nothing to a user), with the errno
    name kept for whoever reads the logs."""
    import errno

    name = errno.errorcode.get(exc.errno or 0, "")
    return f"{_OS_REASONS.get(name, '系统错误')}（{name or exc}）"
