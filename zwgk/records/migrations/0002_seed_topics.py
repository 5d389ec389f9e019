"""Seed the 22 first-level 主题分类 of gov.cn (rules.md §2); administrators may edit them."""

from django.db import migrations

FIRST_LEVEL = [
    "国务院组织机构",
    "综合政务",
    "国民经济管理、国有资产监管",
    "财政、金融、审计",
    "国土资源、能源",
    "农业、林业、水利",
    "工业、交通",
    "商贸、海关、旅游",
    "市场监管、安全生产监管",
    "城乡建设、环境保护",
    "科技、教育",
    "文化、广电、新闻出版",
    "卫生、体育",
    "人口与计划生育、妇女儿童工作",
    "劳动、人事、监察",
    "公安、安全、司法",
    "民政、扶贫、救灾",
    "民族、宗教",
    "对外事务",
    "港澳台侨工作",
    "国防",
    "其他",
]


def seed(apps, schema_editor):
    TopicCategory = apps.get_model("records", "TopicCategory")
    for order, name in enumerate(FIRST_LEVEL, start=1):
        TopicCategory.objects.get_or_create(
            name=name, parent=None, defaults={"sort_order": order * 10}
        )


def unseed(apps, schema_editor):
    TopicCategory = apps.get_model("records", "TopicCategory")
    TopicCategory.objects.filter(
        parent=None, name__in=FIRST_LEVEL, children=None, records=None
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("records", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
