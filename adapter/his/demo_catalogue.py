"""Fixed pools the demo HIS draws from: names, diagnoses, drugs, services, staff.

Plausible values in the shapes of the real code lists (ICD-10, DVKT codes, cost
groups of QĐ 5937 App. 3, licence numbers); they are demo data, not a catalogue.
Every string is NFC (checked by the unit tests).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ",
          "Hồ", "Ngô", "Dương", "Lý")
MIDDLE_M = ("Văn", "Hữu", "Đức", "Minh", "Quốc", "Thanh", "Công", "Gia")
MIDDLE_F = ("Thị", "Ngọc", "Thu", "Thanh", "Hoài", "Mỹ", "Kim", "Phương")
GIVEN_M = ("An", "Bình", "Dũng", "Hiếu", "Khánh", "Long", "Nam", "Phúc", "Quân", "Sơn", "Tuấn", "Việt",
           "Đạt", "Hùng", "Thắng")
GIVEN_F = ("Châu", "Giang", "Hà", "Hạnh", "Hương", "Lan", "Linh", "Mai", "Nga", "Thảo", "Trang", "Vy",
           "Yến", "Ánh", "Ngân")

# (street, ward, district, district code, commune code) in Hồ Chí Minh City (province 79).
ADDRESSES = (
    ("Lê Lợi", "Phường Bến Nghé", "Quận 1", "760", "26740"),
    ("Nguyễn Trãi", "Phường Phạm Ngũ Lão", "Quận 1", "760", "26743"),
    ("Cách Mạng Tháng Tám", "Phường 10", "Quận 3", "770", "27148"),
    ("Lý Thường Kiệt", "Phường 7", "Quận 10", "771", "27196"),
    ("Phan Văn Trị", "Phường 5", "Quận Gò Vấp", "764", "26905"),
    ("Hoàng Văn Thụ", "Phường 4", "Quận Tân Bình", "766", "26977"),
    ("Võ Văn Ngân", "Phường Linh Chiểu", "TP Thủ Đức", "769", "26800"),
)
CCCD_PROVINCES = ("079", "079", "079", "001", "048", "066", "092", "080", "075", "038")

# (group code, benefit digit): 1/2/5 = 100 %, 3 = 95 %, 4 = 80 % (identifiers-and-registry §2.2).
CARD_GROUPS = (("DN", 4), ("DN", 4), ("HS", 4), ("GD", 4), ("HX", 4), ("HT", 3), ("CB", 2), ("HN", 2),
               ("TE", 1), ("CC", 1), ("BT", 2), ("XK", 5))
BENEFIT = {1: Decimal(100), 2: Decimal(100), 3: Decimal(95), 4: Decimal(80), 5: Decimal(100)}
DKBD = ("79001", "79001", "79001", "79024", "79035")

ICD10 = (
    ("J06.9", "Nhiễm trùng đường hô hấp trên cấp"),
    ("I10", "Tăng huyết áp vô căn (nguyên phát)"),
    ("E11.9", "Bệnh đái tháo đường typ 2 không có biến chứng"),
    ("K29.7", "Viêm dạ dày, không đặc hiệu"),
    ("J18.9", "Viêm phổi, không đặc hiệu"),
    ("A09", "Tiêu chảy và viêm dạ dày - ruột nguồn gốc nhiễm trùng"),
    ("M54.5", "Đau vùng thắt lưng"),
    ("N39.0", "Nhiễm khuẩn hệ tiết niệu, vị trí không xác định"),
    ("J45.9", "Hen phế quản, không đặc hiệu"),
    ("I20.9", "Cơn đau thắt ngực, không đặc hiệu"),
    ("E78.5", "Tăng lipid máu, không đặc hiệu"),
    ("B34.9", "Nhiễm virus, không đặc hiệu"),
    ("K35.8", "Viêm ruột thừa cấp, khác và không đặc hiệu"),
)


@dataclass(frozen=True, kw_only=True, slots=True)
class Drug:
    code: str
    name: str
    strength: str
    unit: str
    route: str
    form: str
    reg: str
    price: Decimal
    group: str = "4"          # 4 listed drug, 6 paid at a ratio
    ratio: Decimal = Decimal(100)


DRUGS = (
    Drug(code="40.152", name="Paracetamol", strength="500mg", unit="Viên", route="1.01", form="Viên nén",
         reg="VD-21236-14", price=Decimal("350")),
    Drug(code="40.1", name="Amoxicilin", strength="500mg", unit="Viên", route="1.01", form="Viên nang",
         reg="VD-25470-16", price=Decimal("1200")),
    Drug(code="40.469", name="Omeprazol", strength="20mg", unit="Viên", route="1.01", form="Viên nang",
         reg="VD-27884-17", price=Decimal("850")),
    Drug(code="40.680", name="Metformin", strength="850mg", unit="Viên", route="1.01", form="Viên nén",
         reg="VD-30912-18", price=Decimal("620")),
    Drug(code="40.398", name="Amlodipin", strength="5mg", unit="Viên", route="1.01", form="Viên nén",
         reg="VD-24420-16", price=Decimal("410.5")),
    Drug(code="40.505", name="Losartan", strength="50mg", unit="Viên", route="1.01", form="Viên nén",
         reg="VD-26102-17", price=Decimal("1350")),
    Drug(code="40.194", name="Cefuroxim", strength="500mg", unit="Viên", route="1.01",
         form="Viên nén bao phim", reg="VD-29561-18", price=Decimal("4500")),
    Drug(code="40.1016", name="Natri clorid 0,9%", strength="0,9% 500ml", unit="Chai", route="2.15",
         form="Dung dịch tiêm truyền", reg="VD-22185-15", price=Decimal("10500")),
    Drug(code="40.1024", name="Glucose 5%", strength="5% 500ml", unit="Chai", route="2.15",
         form="Dung dịch tiêm truyền", reg="VD-23390-15", price=Decimal("11025")),
    Drug(code="40.208", name="Ceftriaxon", strength="1g", unit="Lọ", route="2.10", form="Bột pha tiêm",
         reg="VD-28840-18", price=Decimal("18900")),
    Drug(code="40.993", name="Salbutamol", strength="2mg", unit="Viên", route="1.01", form="Viên nén",
         reg="VD-20114-13", price=Decimal("150")),
    Drug(code="40.560", name="Atorvastatin", strength="20mg", unit="Viên", route="1.01",
         form="Viên nén bao phim", reg="VD-31455-19", price=Decimal("990")),
    Drug(code="40.1045", name="Albumin 20%", strength="20% 50ml", unit="Chai", route="2.15",
         form="Dung dịch tiêm truyền", reg="QLSP-0650-13", price=Decimal("655000"), group="6",
         ratio=Decimal(50)),
)


@dataclass(frozen=True, kw_only=True, slots=True)
class Service:
    code: str
    name: str
    group: str                # MA_NHOM
    price_bh: Decimal
    price_bv: Decimal | None = None       # None = same as the BHYT price
    unit: str = "Lần"
    machine: str | None = None
    indicators: tuple[tuple[str, str, str, str], ...] = ()   # (code, name, unit, typical value)
    supply_code: str | None = None


EXAM = Service(code="02.1896", name="Khám Nội", group="13", price_bh=Decimal("42100"))
EXAM_ON_DEMAND = Service(code="02.1896", name="Khám Nội (theo yêu cầu)", group="13",
                         price_bh=Decimal("42100"), price_bv=Decimal("150000"))
LABS = (
    Service(code="22.0120.1370", name="Tổng phân tích tế bào máu ngoại vi (bằng máy đếm laser)", group="1",
            price_bh=Decimal("46200"), machine="HH.1.79001.1",
            indicators=(("22.0120.1370.01", "WBC", "G/L", "7.2"), ("22.0120.1370.02", "RBC", "T/L", "4.6"),
                        ("22.0120.1370.03", "HGB", "g/L", "135"), ("22.0120.1370.04", "PLT", "G/L", "250"))),
    Service(code="23.0075.1494", name="Định lượng Glucose [Máu]", group="1", price_bh=Decimal("21500"),
            machine="SH.1.79001.1", indicators=(("23.0075.1494", "Glucose", "mmol/L", "5.6"),)),
    Service(code="23.0051.1494", name="Định lượng Creatinin [Máu]", group="1", price_bh=Decimal("21500"),
            machine="SH.1.79001.1", indicators=(("23.0051.1494", "Creatinin", "µmol/L", "88"),)),
    Service(code="23.0020.1493", name="Đo hoạt độ ALT (GPT) [Máu]", group="1", price_bh=Decimal("21500"),
            machine="SH.1.79001.1", indicators=(("23.0020.1493", "ALT", "U/L", "32"),)),
    Service(code="23.0083.1523", name="Định lượng HbA1c [Máu]", group="1", price_bh=Decimal("101000"),
            machine="SH.1.79001.1", indicators=(("23.0083.1523", "HbA1c", "%", "6.4"),)),
    Service(code="23.0206.1596", name="Tổng phân tích nước tiểu (bằng máy tự động)", group="1",
            price_bh=Decimal("27400"), machine="SH.1.79001.2",
            indicators=(("23.0206.1596.01", "pH", "pH", "6.0"), ("23.0206.1596.02", "SG", "-", "1.015"))),
)
IMAGING = (
    Service(code="18.0119.0028", name="Chụp X-quang ngực thẳng", group="2", price_bh=Decimal("65400"),
            machine="XQ.1.79001.1"),
    Service(code="18.0001.0001", name="Siêu âm ổ bụng", group="2", price_bh=Decimal("43900"),
            machine="SA.1.79001.1"),
    Service(code="02.0085.1778", name="Điện tim thường", group="3", price_bh=Decimal("32800"),
            machine="ĐT.1.79001.1"),
)
PROCEDURES = (
    Service(code="03.3911.0211", name="Thay băng vết thương chiều dài dưới 15cm", group="18",
            price_bh=Decimal("57600")),
)
BED_INPATIENT = Service(code="K03.1915", name="Ngày giường bệnh Nội khoa loại 1 hạng II", group="15",
                        price_bh=Decimal("199100"), unit="Ngày")
BED_DAYCARE = Service(code="K03.1915", name="Ngày giường bệnh ban ngày Nội khoa", group="14",
                      price_bh=Decimal("59730"), unit="Ngày")
SUPPLIES = (
    Service(code="", name="Bơm tiêm nhựa 5ml", group="10", price_bh=Decimal("1200"), unit="Cái",
            supply_code="N03.05.010"),
    Service(code="", name="Kim luồn tĩnh mạch 22G", group="10", price_bh=Decimal("9000"), unit="Cái",
            supply_code="N03.01.070"),
    Service(code="", name="Dây truyền dịch", group="10", price_bh=Decimal("6300"), unit="Bộ",
            supply_code="N03.02.040"),
)

# (code, name, title, kind, departments)
STAFF = (
    ("000101/HCM-GPHN", "Nguyễn Văn Hải", "Bác sĩ", "GPHN", "K01;K03"),
    ("000102/HCM-GPHN", "Trần Thị Thu Hà", "Bác sĩ", "GPHN", "K01"),
    ("0021030/HCM-CCHN", "Lê Minh Đức", "Bác sĩ", "CCHN", "K03"),
    ("051530/HCM-CCHN", "Phạm Ngọc Ánh", "Bác sĩ", "CCHN", "K18"),
    ("000465/HCM-GPHN", "Võ Quốc Khánh", "Bác sĩ", "GPHN", "K19"),
    ("000466/HCM-GPHN", "Đặng Thị Mỹ Linh", "Bác sĩ", "GPHN", "K01;K03"),
    ("000201/HCM-GPHN", "Bùi Thanh Tùng", "Kỹ thuật y", "GPHN", "K37;K47"),
    ("000202/HCM-GPHN", "Hồ Thị Kim Ngân", "Kỹ thuật y", "GPHN", "K39"),
    ("000301/HCM-GPHN", "Dương Văn Lợi", "Điều dưỡng", "GPHN", "K03"),
)
DOCTORS = tuple(s[0] for s in STAFF if s[2] == "Bác sĩ")
TECHNICIANS = tuple(s[0] for s in STAFF if s[2] == "Kỹ thuật y")
NURSES = tuple(s[0] for s in STAFF if s[2] == "Điều dưỡng")
HEAD = "000101/HCM-GPHN"

TRICKY_TEXTS = (
    'Dị ứng <Penicillin> & "Aspirin"; ghi chú cũ: ]]> đã xoá',
    "Theo dõi huyết áp < 140/90 & đường huyết 'lúc đói'",
    "Bệnh nhân tự ý ngưng thuốc ]]><![CDATA[ tái khám muộn",
)
NOTES = (
    "Bệnh nhân tỉnh, tiếp xúc tốt, da niêm hồng, không sốt.",
    "Đêm ngủ được, ăn uống khá, sinh hiệu ổn định.",
    "Còn ho khan ít, phổi thông khí rõ, không ran.",
    "Đau bụng giảm, bụng mềm, không chướng.",
    "Huyết áp 130/80 mmHg, mạch 82 lần/phút, nhiệt độ 37°C.",
)
