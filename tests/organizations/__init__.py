from zwgk.organizations.validators import credit_check_character


def credit_code(body: str) -> str:
    """A valid 统一社会信用代码: ``body`` (17 characters) plus its GB 32100 check character."""
    return body + credit_check_character(body)
