"""Demonstration pages about the cluster, in English and Arabic.

``seed()`` creates the pages that explain the cluster approach, how to become a partner,
the sub-national hubs, the networks the cluster works with and whom to contact. It is
idempotent: a page that exists (by its address) is left as the coordinators edited it.
"""

from dataclasses import dataclass

from django.db import transaction

from pages.models import Page


@dataclass(frozen=True)
class DemoPage:
    slug: str
    order: int
    title_en: str
    title_ar: str
    summary_en: str
    summary_ar: str
    body_en: str
    body_ar: str


PAGES = [
    DemoPage(
        slug="cluster-approach",
        order=10,
        title_en="What the cluster approach is",
        title_ar="ما هو نهج الكتل",
        summary_en=(
            "Why health partners coordinate through a cluster, who leads it and what it does."
        ),
        summary_ar="لماذا ينسّق شركاء الصحة عملهم من خلال كتلة، ومن يقودها، وما الذي تقوم به.",
        body_en="""In a humanitarian crisis many organisations work on health at the same time.
The cluster approach gives them one place to plan and act together, so that needs are
assessed jointly, gaps are filled and no two partners duplicate each other's work.

## Who leads the health cluster

The World Health Organization is the cluster lead agency. The Ministry of Health co-chairs
the cluster, so that the humanitarian response supports the national health system rather
than replacing it.

## What the cluster does

- agrees a shared **strategy** with objectives and indicators;
- runs **joint needs assessments** and keeps their reports in one registry;
- collects monthly **activity reports** (who does what, where and when);
- publishes **bulletins** with the situation, the response and the gaps;
- advocates for funding and access on behalf of all its partners.

Taking part is voluntary and open to every organisation working on health in the response.
""",
        body_ar="""في الأزمات الإنسانية تعمل منظمات كثيرة في مجال الصحة في الوقت نفسه.
يوفّر نهج الكتل مكاناً واحداً تخطّط فيه هذه المنظمات وتعمل معاً، فتُقيَّم الاحتياجات
بشكل مشترك، وتُسدّ الفجوات، ولا يكرّر شريكان العمل نفسه.

## من يقود الكتلة الصحية

منظمة الصحة العالمية هي الوكالة الرائدة للكتلة، وتشارك وزارة الصحة في رئاستها، حتى
تدعم الاستجابة الإنسانية النظام الصحي الوطني بدلاً من أن تحلّ محله.

## ما الذي تقوم به الكتلة

- تتفق على **استراتيجية** مشتركة بأهداف ومؤشرات؛
- تُجري **تقييمات مشتركة للاحتياجات** وتحفظ تقاريرها في سجل واحد؛
- تجمع **تقارير الأنشطة** الشهرية (من يفعل ماذا، وأين، ومتى)؛
- تنشر **نشرات** عن الوضع والاستجابة والفجوات؛
- تدافع عن التمويل والوصول باسم جميع شركائها.

المشاركة طوعية ومفتوحة لكل منظمة تعمل في مجال الصحة ضمن الاستجابة.
""",
    ),
    DemoPage(
        slug="become-a-partner",
        order=20,
        title_en="How to become a partner",
        title_ar="كيف تصبح شريكاً",
        summary_en="The steps to register your organisation and what partners commit to.",
        summary_ar="خطوات تسجيل منظمتك وما يلتزم به الشركاء.",
        body_en="""Any organisation that delivers or supports health services in the response
can join the cluster: UN agencies, international and national NGOs, Red Cross and Red
Crescent societies, academic institutions and government services.

## Steps

1. Create an account on this portal with your work email address and confirm it.
2. Register your organisation: its type, a contact person and the areas where it works.
3. A coordinator checks the registration, usually within two working days, and approves it.
4. Colleagues then ask to join your organisation; its focal point accepts them.

## What partners commit to

- report their activities every month, before the reporting deadline;
- share their assessment reports with the cluster;
- take part in the coordination meetings of the areas where they work;
- follow the national health guidelines and the cluster's agreed standards.
""",
        body_ar="""يمكن لأي منظمة تقدّم الخدمات الصحية أو تدعمها ضمن الاستجابة أن تنضم إلى
الكتلة: وكالات الأمم المتحدة، والمنظمات غير الحكومية الدولية والوطنية، وجمعيات الصليب
الأحمر والهلال الأحمر، والمؤسسات الأكاديمية، والخدمات الحكومية.

## الخطوات

1. أنشئ حساباً على هذه البوابة ببريدك الإلكتروني المهني وأكّده.
2. سجّل منظمتك: نوعها، وشخص الاتصال، والمناطق التي تعمل فيها.
3. يراجع أحد المنسقين التسجيل، عادةً خلال يومي عمل، ويوافق عليه.
4. يطلب زملاؤك بعد ذلك الانضمام إلى منظمتك، ويقبلهم مسؤول الاتصال فيها.

## ما يلتزم به الشركاء

- الإبلاغ عن أنشطتهم كل شهر قبل الموعد النهائي؛
- مشاركة تقارير التقييم مع الكتلة؛
- حضور اجتماعات التنسيق في المناطق التي يعملون فيها؛
- اتباع الإرشادات الصحية الوطنية والمعايير المتفق عليها في الكتلة.
""",
    ),
    DemoPage(
        slug="sub-national-hubs",
        order=30,
        title_en="Sub-national hubs",
        title_ar="المراكز دون الوطنية",
        summary_en="Where the cluster coordinates close to the field, and who runs each hub.",
        summary_ar="أين تنسّق الكتلة بالقرب من الميدان، ومن يدير كل مركز.",
        body_en="""Decisions about clinics, referrals and outreach are best taken close to the
people they serve. The cluster therefore runs sub-national hubs, each with a coordinator
and a monthly meeting of the partners working in its areas.

| Hub | Areas covered | Meeting |
|---|---|---|
| North | the northern governorates | first Tuesday of the month |
| Coast | the coastal districts | second Wednesday of the month |
| East | the eastern plains | third Monday of the month |

A hub raises to the national cluster what it cannot solve locally: shortages of
medicines, gaps without any partner, and access problems.
""",
        body_ar="""من الأفضل أن تُتخذ القرارات المتعلقة بالعيادات والإحالات والتوعية قريباً
من الناس الذين تخدمهم. لذلك تدير الكتلة مراكز دون وطنية، لكل منها منسق واجتماع شهري
للشركاء العاملين في مناطقه.

| المركز | المناطق المشمولة | الاجتماع |
|---|---|---|
| الشمال | المحافظات الشمالية | أول ثلاثاء من كل شهر |
| الساحل | المناطق الساحلية | ثاني أربعاء من كل شهر |
| الشرق | السهول الشرقية | ثالث اثنين من كل شهر |

يرفع المركز إلى الكتلة الوطنية ما لا يستطيع حله محلياً: نقص الأدوية، والفجوات التي لا
يعمل فيها أي شريك، ومشكلات الوصول.
""",
    ),
    DemoPage(
        slug="networks",
        order=40,
        title_en="Networks the cluster works with",
        title_ar="الشبكات التي تعمل معها الكتلة",
        summary_en=(
            "Standby partners, emergency medical teams and the outbreak alert and response network."
        ),
        summary_ar=(
            "الشركاء الاحتياطيون، وفرق الطوارئ الطبية، وشبكة الإنذار بالأوبئة والاستجابة لها."
        ),
        body_en="""The cluster does not work alone. When the response needs more people or
skills than its partners have, it calls on global networks.

## Standby partners

Organisations that keep rosters of experienced staff and second them to the cluster at
short notice: coordinators, information managers and public health specialists.

## Emergency medical teams

Classified teams of health workers who arrive self-sufficient to treat patients after a
sudden-onset disaster. The cluster tells them where they are needed and avoids two teams
settling in the same place.

## Outbreak alert and response network

A network of technical institutions that helps to investigate and contain outbreaks:
laboratory support, epidemiologists and infection prevention and control experts.
Partners report suspected outbreaks to the cluster's alert line at once.
""",
        body_ar="""لا تعمل الكتلة وحدها. عندما تحتاج الاستجابة إلى أشخاص أو مهارات أكثر
مما لدى شركائها، فإنها تستعين بشبكات عالمية.

## الشركاء الاحتياطيون

منظمات تحتفظ بقوائم من الموظفين ذوي الخبرة وتعيرهم للكتلة في وقت قصير: منسقون،
ومديرو معلومات، ومختصون في الصحة العامة.

## فرق الطوارئ الطبية

فرق مصنّفة من العاملين الصحيين تصل مكتفية ذاتياً لعلاج المرضى بعد الكوارث المفاجئة.
تخبرها الكتلة بالأماكن التي تحتاج إليها، وتمنع استقرار فريقين في المكان نفسه.

## شبكة الإنذار بالأوبئة والاستجابة لها

شبكة من المؤسسات الفنية تساعد في التحقيق في الأوبئة واحتوائها: دعم المختبرات، وعلماء
الوبائيات، وخبراء الوقاية من العدوى ومكافحتها. يبلّغ الشركاء الكتلة فوراً عن أي اشتباه
بتفشي مرض عبر خط الإنذار.
""",
    ),
    DemoPage(
        slug="contacts",
        order=50,
        title_en="Contacts",
        title_ar="جهات الاتصال",
        summary_en="Whom to write to about partnership, reporting, meetings or this portal.",
        summary_ar="بمن تتصل بشأن الشراكة أو التقارير أو الاجتماعات أو هذه البوابة.",
        body_en="""Write to the cluster team at the addresses below. Messages are answered in
English or Arabic within two working days.

- **Cluster coordination:** [coordination@demo.local](mailto:coordination@demo.local)
- **Information management and reporting:** [im@demo.local](mailto:im@demo.local)
- **Meetings and hubs:** [hubs@demo.local](mailto:hubs@demo.local)
- **Help with this portal:** [portal@demo.local](mailto:portal@demo.local)

For a suspected outbreak, do not wait for an answer by email: call the alert line
given in the latest bulletin.
""",
        body_ar="""راسل فريق الكتلة على العناوين أدناه. يُرَدّ على الرسائل بالعربية أو
الإنجليزية خلال يومي عمل.

- **تنسيق الكتلة:** [coordination@demo.local](mailto:coordination@demo.local)
- **إدارة المعلومات والتقارير:** [im@demo.local](mailto:im@demo.local)
- **الاجتماعات والمراكز:** [hubs@demo.local](mailto:hubs@demo.local)
- **المساعدة في استخدام البوابة:** [portal@demo.local](mailto:portal@demo.local)

عند الاشتباه بتفشي مرض لا تنتظر الرد على البريد الإلكتروني: اتصل بخط الإنذار المذكور في
آخر نشرة.
""",
    ),
]


@transaction.atomic
def seed() -> str:
    """Create the demonstration pages that do not exist yet; return a one-line summary."""
    created = 0
    for demo in PAGES:
        fields = {name: value for name, value in vars(demo).items() if name != "slug"}
        _, was_created = Page.objects.get_or_create(
            slug=demo.slug, defaults={**fields, "is_published": True}
        )
        created += was_created
    return f"Pages: {created} created, {len(PAGES) - created} already there."
