"""Masked forms of personal data (去标识化) for exports and pages that must not show it."""


def mask_name(name: str) -> str:
    """``张三`` → ``张**``: the first character only, and not the length."""
    name = name.strip()
    return f"{name[:1]}**" if name else ""


def mask_id_number(number: str) -> str:
    """``110101199003071234`` → ``110101********1234``; short numbers keep less."""
    number = number.strip()
    head, tail = (6, 4) if len(number) >= 15 else (1, 2) if len(number) > 4 else (0, 0)
    return number[:head] + "*" * (len(number) - head - tail) + number[len(number) - tail :]


def _digits(value: str) -> str:
    return "".join(ch for ch in value if ch.isdigit())


def mask_phone(number: str) -> str:
    """Mobiles ``13812345678`` → ``138****5678``; landlines ``0351-7654321`` → ``0351-****4321``.

    A ``+86``/``0086`` prefix is kept as ``+86 ``.  Landlines keep the area code
    (three digits for 010 and 02X, else four) and the last four digits; the
    stars do not tell the length of the local number.
    """
    digits = _digits(number)
    prefix = ""
    if len(digits) in (13, 15) and number.strip().startswith(("+86", "0086", "86")):
        digits, prefix = digits[-11:], "+86 "
    if len(digits) == 11 and digits[0] == "1":
        return f"{prefix}{digits[:3]}****{digits[-4:]}"
    if digits.startswith("0") and len(digits) >= 10:
        area = 3 if digits[1] in "12" else 4
        return f"{digits[:area]}-****{digits[-4:]}"
    return "****" + digits[-4:] if len(digits) > 4 else "*" * len(digits)


def mask_bank_card(number: str) -> str:
    """``6222021234567890123`` → ``6222 **** **** 0123``: first and last four, not the length."""
    digits = _digits(number)
    if len(digits) < 12:
        return "*" * len(digits)
    return f"{digits[:4]} **** **** {digits[-4:]}"


def mask_email(address: str) -> str:
    """``zhangsan@example.com`` → ``z***@example.com``: the first character and the domain."""
    address = address.strip()
    local, at, domain = address.rpartition("@")
    if not at:
        return mask_name(address)
    return f"{local[:1]}***@{domain}"
