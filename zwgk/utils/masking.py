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
