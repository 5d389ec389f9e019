from django.db import models
from django.utils.translation import gettext_lazy as _


class DeadlineKind(models.TextChoices):
    """How the 公开时限 of a catalogue item is counted (条例第二十六条 is the default)."""

    WORKING_DAYS = "working_days", _("形成或变更之日起N个工作日内")
    REAL_TIME = "real_time", _("实时")
    PERIODIC = "periodic", _("定期")
    OTHER = "other", _("其他")


class Period(models.TextChoices):
    """The period of a 定期 item: information formed in a period is released after it ends."""

    MONTHLY = "monthly", _("每月")
    QUARTERLY = "quarterly", _("每季度")
    HALF_YEARLY = "half_yearly", _("每半年")
    YEARLY = "yearly", _("每年")


class Channel(models.TextChoices):
    """公开渠道和载体 seen in the 基层标准目录 (rules.md §2)."""

    WEBSITE = "website", _("政府网站")
    NEW_MEDIA = "new_media", _("两微一端")
    GAZETTE = "gazette", _("政府公报")
    BROADCAST = "broadcast", _("广播电视")
    PRINT = "print", _("纸质媒体")
    PRESS_CONFERENCE = "press_conference", _("发布会/听证会")
    READING_POINT = "reading_point", _("公开查阅点")
    SERVICE_CENTRE = "service_centre", _("政务服务中心")
    SERVICE_STATION = "service_station", _("便民服务站")
    DOOR_TO_DOOR = "door_to_door", _("入户/现场")
    NOTICE_BOARD = "notice_board", _("公示栏(电子屏)")
    TARGETED_PUSH = "targeted_push", _("精准推送")
    OTHER = "other", _("其他")


class Audience(models.TextChoices):
    """公开对象."""

    PUBLIC = "public", _("全社会")
    SPECIFIC = "specific", _("特定群体")


class DisclosureMode(models.TextChoices):
    """公开方式."""

    PROACTIVE = "proactive", _("主动")
    ON_REQUEST = "on_request", _("依申请")


class DisclosureLevel(models.TextChoices):
    """公开层级: which level of government publishes the item (several may)."""

    PROVINCE = "province", _("省级")
    CITY = "city", _("市级")
    COUNTY = "county", _("县级")
    TOWNSHIP = "township", _("乡级")


class LegalCategory(models.IntegerChoices):
    """The 15 categories of information to be disclosed proactively (条例第二十条)."""

    REGULATIONS = 1, _("（一）行政法规、规章和规范性文件")
    ORGANISATION = 2, _("（二）机关职能、机构设置、办公地址、办公时间、联系方式、负责人姓名")
    PLANS = 3, _("（三）国民经济和社会发展规划、专项规划、区域规划及相关政策")
    STATISTICS = 4, _("（四）国民经济和社会发展统计信息")
    LICENSING = 5, _("（五）办理行政许可和其他对外管理服务事项的依据、条件、程序以及办理结果")
    PENALTIES = (
        6,
        _(
            "（六）实施行政处罚、行政强制的依据、条件、程序以及本行政机关认为具有一定社会影响的"
            "行政处罚决定"
        ),
    )
    BUDGETS = 7, _("（七）财政预算、决算信息")
    FEES = 8, _("（八）行政事业性收费项目及其依据、标准")
    PROCUREMENT = 9, _("（九）政府集中采购项目的目录、标准及实施情况")
    MAJOR_PROJECTS = 10, _("（十）重大建设项目的批准和实施情况")
    WELFARE = 11, _("（十一）扶贫、教育、医疗、社会保障、促进就业等方面的政策、措施及其实施情况")
    EMERGENCIES = 12, _("（十二）突发公共事件的应急预案、预警信息及应对情况")
    INSPECTIONS = 13, _("（十三）环境保护、公共卫生、安全生产、食品药品、产品质量的监督检查情况")
    CIVIL_SERVICE = 14, _("（十四）公务员招考的职位、名额、报考条件等事项以及录用结果")
    OTHER = 15, _("（十五）法律、法规、规章和国家有关规定规定应当主动公开的其他政府信息")


class ImportStatus(models.TextChoices):
    """What importing one spreadsheet row did to its catalogue item."""

    CREATED = "created", _("新建")
    UPDATED = "updated", _("更新")
    UNCHANGED = "unchanged", _("未变化")
