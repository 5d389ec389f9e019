"""``zwgk api-token create USERNAME | list | revoke PREFIX``: staff API tokens."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from zwgk.accounts.actions import do_create_api_token, do_revoke_api_token
from zwgk.accounts.models import ApiToken, User


class Command(BaseCommand):
    help = "签发、列出或吊销工作人员接口令牌。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="verb", required=True)
        create = sub.add_parser("create", help="为工作人员签发令牌（只显示一次）")
        create.add_argument("username")
        create.add_argument("--name", default="", help="用途，如“OA系统对接”")
        sub.add_parser("list", help="列出令牌")
        revoke = sub.add_parser("revoke", help="吊销令牌")
        revoke.add_argument("prefix", help="令牌前缀（list 显示的8个字符）")

    def handle(self, *args, verb, **options):
        getattr(self, f"handle_{verb}")(**options)

    def handle_create(self, username, name, **options):
        try:
            user = User.objects.get(username=username)
        except User.DoesNotExist:
            raise CommandError(f"没有用户名为“{username}”的工作人员。") from None
        try:
            token, raw = do_create_api_token(user, name=name, acting_user=None)
        except ValidationError as error:
            raise CommandError(error.messages[0]) from None
        self.stdout.write(raw)
        self.stderr.write(
            f"已为 {username} 签发令牌 {token.prefix}…；此令牌只显示这一次，请妥善保存。"
        )

    def handle_list(self, **options):
        for token in ApiToken.objects.select_related("user").order_by("created_at"):
            state = "已吊销" if token.revoked_at else "有效"
            used = f"{token.last_used_at:%Y-%m-%d %H:%M}" if token.last_used_at else "从未使用"
            self.stdout.write(
                f"{token.prefix}\t{token.user.username}\t{state}\t{used}\t{token.name}"
            )

    def handle_revoke(self, prefix, **options):
        tokens = list(ApiToken.objects.filter(prefix=prefix))
        if len(tokens) != 1:
            raise CommandError(f"前缀“{prefix}”对应 {len(tokens)} 个令牌，请核对。")
        do_revoke_api_token(tokens[0], acting_user=None)
        self.stdout.write(f"令牌 {prefix}… 已吊销。")
