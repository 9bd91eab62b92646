"""The names and the catalogue of the large demonstration dataset (``demo.scale``).

Plain data: governorates, place-name parts for districts, organisations of every type,
donors, the strategy's objectives and indicators, and forty activities, each in English and
Arabic. All of it is fictional.
"""

from dataclasses import dataclass

from activities.models import ActivityUnit
from demo.activities import ADULTS, AGES, CHILDREN, WOMEN
from strategy.models import IndicatorKind, IndicatorUnit

COUNTRY = ("ZZ", "Demoland (large dataset)", "ديمولاند (مجموعة بيانات كبيرة)")

# Twenty governorates (admin1).
GOVERNORATES = [
    ("Northern Highlands", "المرتفعات الشمالية"),
    ("Coastal Plain", "السهل الساحلي"),
    ("River Valley", "وادي النهر"),
    ("Eastern Desert", "الصحراء الشرقية"),
    ("Capital", "العاصمة"),
    ("Western Hills", "التلال الغربية"),
    ("Southern Oases", "الواحات الجنوبية"),
    ("Lake District", "منطقة البحيرة"),
    ("Olive Groves", "بساتين الزيتون"),
    ("Red Mountains", "الجبال الحمراء"),
    ("Palm Delta", "دلتا النخيل"),
    ("Salt Flats", "السبخات"),
    ("Cedar Heights", "مرتفعات الأرز"),
    ("Green Plateau", "الهضبة الخضراء"),
    ("Border Marches", "المناطق الحدودية"),
    ("Sunrise Coast", "ساحل الشروق"),
    ("Middle Basin", "الحوض الأوسط"),
    ("Stone Valley", "وادي الحجارة"),
    ("Twin Rivers", "النهران"),
    ("Far South", "أقصى الجنوب"),
]

# District (admin2) names are a place word and a name: "Wadi Nour" / "وادي النور".
PLACE_WORDS = [
    ("Wadi", "وادي"),
    ("Jabal", "جبل"),
    ("Ras", "رأس"),
    ("Bir", "بئر"),
    ("Tell", "تل"),
    ("Ain", "عين"),
    ("Deir", "دير"),
    ("Kafr", "كفر"),
    ("Khirbet", "خربة"),
    ("Beit", "بيت"),
    ("Qasr", "قصر"),
    ("Suq", "سوق"),
    ("Marj", "مرج"),
    ("Bab", "باب"),
    ("Sahl", "سهل"),
]

NAMES = [
    ("Nour", "النور"),
    ("Salam", "السلام"),
    ("Rayan", "الريان"),
    ("Zaytoun", "الزيتون"),
    ("Rumman", "الرمان"),
    ("Nakhil", "النخيل"),
    ("Hamra", "الحمراء"),
    ("Bayda", "البيضاء"),
    ("Khadra", "الخضراء"),
    ("Safa", "الصفا"),
    ("Qamar", "القمر"),
    ("Shams", "الشمس"),
    ("Rawda", "الروضة"),
    ("Sahil", "الساحل"),
    ("Hilal", "الهلال"),
    ("Ward", "الورد"),
    ("Yasmin", "الياسمين"),
    ("Barakat", "البركات"),
    ("Fajr", "الفجر"),
    ("Amal", "الأمل"),
    ("Karama", "الكرامة"),
    ("Saada", "السعادة"),
    ("Hikma", "الحكمة"),
    ("Tin", "التين"),
    ("Inab", "العنب"),
    ("Sanawbar", "الصنوبر"),
    ("Arz", "الأرز"),
    ("Ghadir", "الغدير"),
    ("Wafa", "الوفاء"),
    ("Najma", "النجمة"),
    ("Buhayra", "البحيرة"),
    ("Jisr", "الجسر"),
    ("Mina", "الميناء"),
    ("Nasr", "النصر"),
    ("Rabi", "الربيع"),
    ("Sukkar", "السكر"),
    ("Ghazal", "الغزال"),
    ("Nasim", "النسيم"),
    ("Manara", "المنارة"),
    ("Zuhur", "الزهور"),
]

UN_AGENCIES = [
    ("United Nations Health Fund", "UNHF", "صندوق الأمم المتحدة للصحة"),
    ("United Nations Children's Agency", "UNCA", "وكالة الأمم المتحدة للطفولة"),
    ("United Nations Population Programme", "UNPP", "برنامج الأمم المتحدة للسكان"),
    ("United Nations Refugee Office", "UNRO", "مكتب الأمم المتحدة للاجئين"),
    ("World Food Agency", "WFA", "الوكالة العالمية للغذاء"),
    ("International Migration Office", "IMO", "المكتب الدولي للهجرة"),
    ("United Nations Development Office", "UNDO", "مكتب الأمم المتحدة للتنمية"),
    ("United Nations AIDS Programme", "UNAP", "برنامج الأمم المتحدة لمكافحة الإيدز"),
]

INTERNATIONAL_NGOS = [
    ("Health Without Borders International", "الصحة بلا حدود الدولية"),
    ("Global Medical Relief", "الإغاثة الطبية العالمية"),
    ("International Medical Aid", "المعونة الطبية الدولية"),
    ("Children First International", "الأطفال أولًا الدولية"),
    ("Mothers and Newborns Alliance", "تحالف الأمهات والمواليد"),
    ("World Health Volunteers", "المتطوعون الصحيون العالميون"),
    ("Action for Health", "العمل من أجل الصحة"),
    ("Care Across Nations", "الرعاية عبر الأمم"),
    ("Open Hands Relief", "الأيادي المفتوحة للإغاثة"),
    ("Humanity and Health", "الإنسانية والصحة"),
    ("Northern Aid Alliance", "تحالف المساعدة الشمالي"),
    ("Hope Medical Corps", "فيلق الأمل الطبي"),
    ("Lifeline International", "شريان الحياة الدولية"),
    ("Doctors for Peace", "أطباء من أجل السلام"),
    ("Relief and Recovery International", "الإغاثة والتعافي الدولية"),
    ("Emergency Surgeons Network", "شبكة جراحي الطوارئ"),
    ("Mental Health Relief International", "الإغاثة النفسية الدولية"),
    ("Clean Water and Health", "المياه النظيفة والصحة"),
    ("Global Nutrition Action", "العمل العالمي للتغذية"),
    ("Disability Inclusion International", "الدمج الدولي لذوي الإعاقة"),
    ("Midwives Without Borders", "قابلات بلا حدود"),
    ("People's Health Partnership", "شراكة صحة الشعوب"),
    ("International Rescue and Care", "الإنقاذ والرعاية الدولية"),
    ("Solidarity Medical", "التضامن الطبي"),
    ("Bridges of Health", "جسور الصحة"),
    ("Med Response International", "الاستجابة الطبية الدولية"),
    ("Global Vaccine Partnership", "الشراكة العالمية للقاحات"),
    ("Aid for Communities", "المساعدة للمجتمعات"),
    ("Health Equity Foundation", "مؤسسة الإنصاف الصحي"),
    ("First Response Medical", "الاستجابة الأولى الطبية"),
    ("Family Health Relief", "إغاثة صحة الأسرة"),
    ("World Relief Doctors", "أطباء الإغاثة العالمية"),
    ("Safe Motherhood Alliance", "تحالف الأمومة الآمنة"),
    ("Field Hospitals International", "المستشفيات الميدانية الدولية"),
    ("Community Care Worldwide", "الرعاية المجتمعية حول العالم"),
]

# National NGOs: a pattern and a name from NAMES ("Nour Health Association").
NATIONAL_NGO_PATTERNS = [
    ("{} Health Association", "جمعية {} للصحة"),
    ("{} Relief Foundation", "مؤسسة {} للإغاثة"),
    ("{} Women's Development Society", "جمعية {} لتنمية المرأة"),
    ("{} Community Health Network", "شبكة {} للصحة المجتمعية"),
    ("{} Charitable Society", "جمعية {} الخيرية"),
    ("{} Medical Volunteers", "متطوعو {} الطبيون"),
]
NATIONAL_NGOS = 85

RED_CROSS = [
    ("Demoland Red Crescent Society", "DRCS", "جمعية الهلال الأحمر في ديمولاند"),
    ("Northland Red Cross", "NRC", "الصليب الأحمر الشمالي"),
    ("Eastland Red Crescent", "ERC", "الهلال الأحمر الشرقي"),
    ("Federation of Red Cross and Red Crescent Partners", "FRCP", "اتحاد شركاء الصليب والهلال"),
]

ACADEMIC = [
    ("University of Demoland Faculty of Medicine", "UDFM", "كلية الطب في جامعة ديمولاند"),
    ("Demoland Institute of Public Health", "DIPH", "معهد ديمولاند للصحة العامة"),
    ("Centre for Humanitarian Health Research", "CHHR", "مركز أبحاث الصحة الإنسانية"),
]

NETWORKS = [
    ("Network of National Health NGOs", "NNHN", "شبكة المنظمات الصحية الوطنية"),
    ("Women's Health Network", "WHN", "شبكة صحة المرأة"),
]

OTHERS = [("Private Hospitals Association", "PHA", "رابطة المستشفيات الخاصة")]

MINISTRY = ("Ministry of Health", "MoH", "وزارة الصحة")
DIRECTORATES = 11  # "Directorate of Health, <governorate>" for the first eleven governorates

DONORS = [
    "Fund for Humanitarian Health",
    "Northern Countries Aid Agency",
    "Country-based pooled fund",
    "European humanitarian aid office",
    "Gulf Relief Fund",
    "Global Fund for Health Emergencies",
    "Eastern Development Bank",
    "Own funds",
]

LOCAL_ORGANISATIONS = [
    "Pinecrest Women's Committee",
    "Stonebrook Youth Volunteers",
    "River Valley Community Health Workers",
    "Coralbay Fishermen's Association",
    "Sunmeadow Village Health Committee",
    "Old Town Neighbourhood Council",
    "Hillside Mothers' Group",
]

ASSESSMENT_TITLES = [
    ("Rapid health needs assessment", "تقييم سريع للاحتياجات الصحية"),
    ("Health facility functionality survey", "مسح جاهزية المرافق الصحية"),
    ("Multi-sector needs assessment", "تقييم الاحتياجات متعدد القطاعات"),
    ("Nutrition and health survey", "مسح التغذية والصحة"),
    ("Public health situation analysis", "تحليل الوضع الصحي العام"),
    ("Maternal and child health assessment", "تقييم صحة الأم والطفل"),
    ("Mental health needs assessment", "تقييم احتياجات الصحة النفسية"),
]

# (code, title_en, title_ar, indicators)
# indicator: (code, name_en, name_ar, unit, baseline, target, kind, domains)
OBJECTIVES = [
    (
        "SO1",
        "People in affected areas use essential health care",
        "يحصل السكان في المناطق المتأثرة على الرعاية الصحية الأساسية",
        [
            (
                "1.1",
                "Outpatient consultations",
                "الاستشارات الخارجية",
                IndicatorUnit.CONSULTATIONS,
                2_000_000,
                12_000_000,
                IndicatorKind.COUNT,
                ("access-to-care", "communicable-diseases"),
            ),
            (
                "1.2",
                "Health facilities and mobile teams supported",
                "المرافق الصحية والفرق المتنقلة المدعومة",
                IndicatorUnit.FACILITIES,
                150,
                600,
                IndicatorKind.LATEST,
                ("facility-functionality",),
            ),
            (
                "1.3",
                "People treated for injuries, including surgery and rehabilitation",
                "الأشخاص المعالجون من الإصابات بما في ذلك الجراحة وإعادة التأهيل",
                IndicatorUnit.PEOPLE,
                50_000,
                400_000,
                IndicatorKind.COUNT,
                ("trauma-injury",),
            ),
        ],
    ),
    (
        "SO2",
        "Outbreaks are detected and controlled quickly",
        "يجري الكشف عن الأوبئة والسيطرة عليها بسرعة",
        [
            (
                "2.1",
                "Outbreak alerts verified",
                "إنذارات الأوبئة التي جرى التحقق منها",
                IndicatorUnit.OTHER,
                500,
                3_000,
                IndicatorKind.COUNT,
                ("communicable-diseases",),
            ),
            (
                "2.2",
                "Children vaccinated",
                "الأطفال الذين تلقوا اللقاحات",
                IndicatorUnit.PEOPLE,
                500_000,
                4_000_000,
                IndicatorKind.COUNT,
                ("communicable-diseases", "child-health"),
            ),
            (
                "2.3",
                "Cholera and acute watery diarrhoea cases treated",
                "حالات الكوليرا والإسهال المائي الحاد المعالجة",
                IndicatorUnit.PEOPLE,
                20_000,
                300_000,
                IndicatorKind.COUNT,
                ("communicable-diseases", "wash-health-risks"),
            ),
        ],
    ),
    (
        "SO3",
        "Mothers, newborns and children get the care they need",
        "تحصل الأمهات والمواليد والأطفال على الرعاية التي يحتاجونها",
        [
            (
                "3.1",
                "Births attended by skilled health personnel",
                "الولادات بإشراف عاملين صحيين مهرة",
                IndicatorUnit.PEOPLE,
                40_000,
                400_000,
                IndicatorKind.COUNT,
                ("maternal-newborn-health",),
            ),
            (
                "3.2",
                "Antenatal and postnatal care visits",
                "زيارات الرعاية قبل الولادة وبعدها",
                IndicatorUnit.PEOPLE,
                200_000,
                2_000_000,
                IndicatorKind.COUNT,
                ("maternal-newborn-health",),
            ),
            (
                "3.3",
                "Children under five in nutrition and illness care",
                "الأطفال دون الخامسة في برامج التغذية ورعاية الأمراض",
                IndicatorUnit.PEOPLE,
                30_000,
                250_000,
                IndicatorKind.PEOPLE_ONCE,
                ("nutrition", "child-health"),
            ),
        ],
    ),
    (
        "SO4",
        "People with chronic and mental health conditions keep their treatment",
        "يواصل المصابون بالأمراض المزمنة واضطرابات الصحة النفسية علاجهم",
        [
            (
                "4.1",
                "People with chronic conditions on regular treatment",
                "المصابون بأمراض مزمنة الذين يتلقون علاجًا منتظمًا",
                IndicatorUnit.PEOPLE,
                20_000,
                200_000,
                IndicatorKind.PEOPLE_ONCE,
                ("non-communicable-diseases",),
            ),
            (
                "4.2",
                "People receiving mental health and psychosocial support",
                "الأشخاص الذين يتلقون خدمات الصحة النفسية والدعم النفسي الاجتماعي",
                IndicatorUnit.PEOPLE,
                30_000,
                600_000,
                IndicatorKind.COUNT,
                ("mhpss",),
            ),
        ],
    ),
    (
        "SO5",
        "The health system is stronger for recovery",
        "نظام صحي أقوى من أجل التعافي",
        [
            (
                "5.1",
                "Health workers trained or supported",
                "العاملون الصحيون المدربون أو المدعومون",
                IndicatorUnit.PEOPLE,
                2_000,
                40_000,
                IndicatorKind.COUNT,
                ("facility-functionality", "access-to-care"),
            ),
        ],
    ),
]

PEOPLE_TARGETED = 3_500_000


@dataclass(frozen=True)
class ScaleActivity:
    code: str
    name_en: str
    name_ar: str
    indicator: str
    domains: tuple[str, ...]
    unit: str
    groups: tuple[str, ...]  # empty: a single total
    scale: tuple[int, int]  # a line's usual monthly figure
    popularity: int = 1  # how many partners take it up, relatively
    older_people: bool = False
    disability: bool = False


U = ActivityUnit
ACCESS, CD, FACILITY = "access-to-care", "communicable-diseases", "facility-functionality"
TRAUMA, WASH, MNH = "trauma-injury", "wash-health-risks", "maternal-newborn-health"
CHILD, NUTRITION, NCD, MHPSS = "child-health", "nutrition", "non-communicable-diseases", "mhpss"

S = ScaleActivity
# fmt: off
CATALOGUE = [
    # 1.1 consultations
    S("OPD-CONS", "Outpatient consultations in fixed facilities",
      "الاستشارات الخارجية في المرافق الثابتة", "1.1", (ACCESS, CD), U.CONSULTATIONS, AGES,
      (300, 3000), 8, older_people=True, disability=True),
    S("MOB-CONS", "Consultations by mobile medical teams",
      "الاستشارات عبر الفرق الطبية المتنقلة", "1.1", (ACCESS,), U.CONSULTATIONS, AGES,
      (100, 1200), 4, older_people=True),
    S("TELE-CONS", "Remote medical consultations by telephone",
      "الاستشارات الطبية عن بعد عبر الهاتف", "1.1", (ACCESS,), U.CONSULTATIONS, ADULTS,
      (20, 300)),
    S("EMR-CONS", "Emergency room consultations", "استشارات أقسام الطوارئ", "1.1",
      (TRAUMA, ACCESS), U.CONSULTATIONS, AGES, (100, 1500), 2),
    # 1.2 facilities
    S("PHC-SUPPORT", "Primary health care centres supported with staff and supplies",
      "مراكز الرعاية الصحية الأولية المدعومة بالكوادر والإمدادات", "1.2", (FACILITY,),
      U.FACILITIES, (), (1, 6), 4),
    S("HOSP-SUPPORT", "Hospitals supported", "المستشفيات المدعومة", "1.2", (FACILITY, TRAUMA),
      U.FACILITIES, (), (1, 2)),
    S("MOB-TEAM", "Mobile medical teams operating", "الفرق الطبية المتنقلة العاملة", "1.2",
      (ACCESS,), U.FACILITIES, (), (1, 4), 2),
    S("MED-SUPPLY", "Essential medicines kits delivered to facilities",
      "مجموعات الأدوية الأساسية المسلمة إلى المرافق", "1.2", (FACILITY,), U.KITS, (), (1, 10),
      2),
    # 1.3 injuries
    S("TRAUMA-CARE", "Trauma and injury care", "رعاية الإصابات والرضوح", "1.3", (TRAUMA,),
      U.PEOPLE, AGES, (10, 200), 2, disability=True),
    S("SURGERY", "Emergency and trauma surgery", "العمليات الجراحية الطارئة وجراحة الرضوح", "1.3",
      (TRAUMA,), U.PEOPLE, AGES, (5, 80)),
    S("REHAB", "Physical rehabilitation sessions", "جلسات إعادة التأهيل البدني", "1.3",
      (TRAUMA,), U.SESSIONS, (), (20, 300)),
    S("ASSIST-DEV", "People given assistive devices", "الأشخاص الذين تلقوا أجهزة مساعدة", "1.3",
      (TRAUMA,), U.PEOPLE, AGES, (5, 60), disability=True),
    # 2.1 alerts
    S("ALERT-INV", "Outbreak alerts investigated", "إنذارات الأوبئة التي جرى التحقق منها", "2.1",
      (CD,), U.OTHER, (), (1, 12), 2),
    S("EWARS-SITES", "Sentinel sites reporting weekly to the early warning system",
      "المواقع الراصدة التي تبلغ نظام الإنذار المبكر أسبوعيًا", "2.1", (CD,), U.FACILITIES, (),
      (1, 8)),
    S("RRT-DEPLOY", "Rapid response team deployments", "عمليات نشر فرق الاستجابة السريعة", "2.1",
      (CD,), U.OTHER, (), (1, 5)),
    # 2.2 vaccination
    S("MEASLES-VAC", "Measles vaccination of children aged 6 to 59 months",
      "تطعيم الأطفال من 6 إلى 59 شهرًا ضد الحصبة", "2.2", (CD, CHILD), U.PEOPLE, CHILDREN,
      (200, 2500), 3),
    S("POLIO-VAC", "Polio vaccination of children under five",
      "تطعيم الأطفال دون الخامسة ضد شلل الأطفال", "2.2", (CD, CHILD), U.PEOPLE, CHILDREN,
      (300, 3000), 2),
    S("PENTA-VAC", "Routine pentavalent vaccination, third dose",
      "التطعيم الروتيني بالخماسي، الجرعة الثالثة", "2.2", (CHILD,), U.PEOPLE, CHILDREN,
      (50, 600), 2),
    S("OCV-CAMPAIGN", "Oral cholera vaccination", "التطعيم الفموي ضد الكوليرا", "2.2",
      (CD, WASH), U.PEOPLE, AGES, (500, 5000)),
    # 2.3 cholera
    S("CHOLERA-TRT", "Cholera and acute watery diarrhoea cases treated",
      "حالات الكوليرا والإسهال المائي الحاد المعالجة", "2.3", (CD, WASH), U.PEOPLE, AGES,
      (20, 300), 2),
    S("ORP-RUN", "Oral rehydration points running", "نقاط الإماهة الفموية العاملة", "2.3",
      (WASH,), U.FACILITIES, (), (1, 6)),
    S("HYGIENE-KIT", "Hygiene kits distributed to households at risk",
      "مجموعات النظافة الموزعة على الأسر المعرضة للخطر", "2.3", (WASH,), U.KITS, (),
      (50, 600), 2),
    S("WATER-TEST", "Water quality tests in health facilities",
      "فحوص جودة المياه في المرافق الصحية", "2.3", (WASH, FACILITY), U.OTHER, (), (2, 40)),
    # 3.1 births
    S("SKILLED-BIRTH", "Births attended by skilled health personnel",
      "الولادات بإشراف عاملين صحيين مهرة", "3.1", (MNH,), U.PEOPLE, WOMEN, (20, 250), 3),
    S("CEMONC", "Emergency obstetric care, caesarean sections",
      "رعاية التوليد الطارئة، العمليات القيصرية", "3.1", (MNH,), U.PEOPLE, WOMEN, (5, 60)),
    S("CLEAN-KIT", "Clean delivery kits distributed", "مجموعات الولادة النظيفة الموزعة", "3.1",
      (MNH,), U.KITS, (), (20, 300)),
    # 3.2 antenatal and postnatal care
    S("ANC-VISIT", "Antenatal care visits", "زيارات الرعاية قبل الولادة", "3.2", (MNH,),
      U.PEOPLE, WOMEN, (60, 700), 4),
    S("PNC-VISIT", "Postnatal care visits within two days of birth",
      "زيارات الرعاية بعد الولادة خلال يومين", "3.2", (MNH,), U.PEOPLE, WOMEN, (20, 250), 2),
    S("FP-COUNSEL", "Family planning counselling", "الإرشاد في تنظيم الأسرة", "3.2", (MNH,),
      U.PEOPLE, ADULTS, (30, 400)),
    # 3.3 children under five
    S("NUT-SCREEN", "Nutrition screening of children under five",
      "الفحص التغذوي للأطفال دون الخامسة", "3.3", (NUTRITION, CHILD), U.PEOPLE, CHILDREN,
      (150, 2000), 4),
    S("SAM-TRT", "Children treated for severe acute malnutrition with complications",
      "الأطفال المعالجون من سوء التغذية الحاد الوخيم مع مضاعفات", "3.3", (NUTRITION, CHILD),
      U.PEOPLE, CHILDREN, (5, 80), 2),
    S("IMCI", "Children under five treated for common childhood illnesses",
      "الأطفال دون الخامسة المعالجون من أمراض الطفولة الشائعة", "3.3", (CHILD,), U.PEOPLE,
      CHILDREN, (100, 1500), 3),
    # 4.1 chronic conditions
    S("NCD-MEDS", "People receiving medicines for diabetes or hypertension",
      "الأشخاص الذين يتلقون أدوية السكري أو ارتفاع ضغط الدم", "4.1", (NCD,), U.PEOPLE, ADULTS,
      (80, 900), 3, older_people=True),
    S("DIALYSIS", "Dialysis sessions", "جلسات غسيل الكلى", "4.1", (NCD,), U.SESSIONS, (),
      (20, 400)),
    S("INSULIN", "Insulin-dependent patients supplied with insulin",
      "مرضى السكري المعتمدون على الإنسولين الذين تلقوا الإنسولين", "4.1", (NCD,), U.PEOPLE,
      AGES, (10, 150), older_people=True),
    # 4.2 mental health
    S("MHPSS-SESSION", "Mental health and psychosocial support sessions",
      "جلسات الصحة النفسية والدعم النفسي الاجتماعي", "4.2", (MHPSS,), U.SESSIONS, (),
      (30, 400), 3),
    S("MH-CONS", "Specialised mental health consultations",
      "الاستشارات المتخصصة في الصحة النفسية", "4.2", (MHPSS,), U.PEOPLE, AGES, (10, 200),
      disability=True),
    S("PFA", "Psychological first aid", "الإسعافات النفسية الأولية", "4.2", (MHPSS,), U.PEOPLE,
      AGES, (20, 400), 2),
    # 5.1 health workforce
    S("HW-TRAIN", "Health workers trained", "العاملون الصحيون المدربون", "5.1",
      (FACILITY, ACCESS), U.PEOPLE, ADULTS, (5, 60), 2),
    S("CHW-ACTIVE", "Community health workers active", "العاملون الصحيون المجتمعيون الفاعلون",
      "5.1", (ACCESS,), U.PEOPLE, ADULTS, (5, 80), 2),
]
# fmt: on
