"""Demo catalog for `make run`: an Algerian grocery distributor's range, Arabic and French.

64 products in 11 categories (three of them subcategories of Boissons). Prices are
per sale unit before VAT; barcodes are valid EAN-13 under the Algerian GS1 prefix 613.
"""

from __future__ import annotations

from chalicelib.catalog import categories, schemas
from chalicelib.catalog import products as catalog_products
from chalicelib.catalog.schemas import ean_check_digit
from chalicelib.core.rbac import Actor

# (key, parent key, Arabic, French, English)
CATEGORIES = [
    ("drinks", None, "مشروبات", "Boissons", "Drinks"),
    ("water", "drinks", "مياه", "Eaux", "Water"),
    ("soda", "drinks", "مشروبات غازية", "Boissons gazeuses", "Soft drinks"),
    ("juice", "drinks", "عصائر", "Jus et nectars", "Juices"),
    ("dairy", None, "حليب ومشتقاته", "Produits laitiers", "Dairy"),
    ("oil", None, "زيوت ودهون", "Huiles et matières grasses", "Oils and fats"),
    ("semolina", None, "سميد ودقيق", "Semoule et farine", "Semolina and flour"),
    ("pasta", None, "عجائن وأرز", "Pâtes, couscous et riz", "Pasta, couscous and rice"),
    ("coffee", None, "قهوة وشاي", "Café et thé", "Coffee and tea"),
    ("basics", None, "سكر ومواد أساسية", "Sucre et épicerie de base", "Sugar and staples"),
    ("canned", None, "مصبرات", "Conserves", "Canned food"),
    ("cleaning", None, "منظفات", "Détergents et entretien", "Detergents"),
    ("biscuits", None, "بسكويت وحلويات", "Biscuits et confiserie", "Biscuits and sweets"),
]

# (category, Arabic, French, sku, sale unit, pack size, price in DA, VAT %, stock, min stock)
PRODUCTS = [
    ("water", "مياه معدنية إفري 1.5 لتر", "Eau minérale Ifri 1,5 L", "EAU-IFRI-150", "bottle", 6, 35, 19, 1200, 240),
    ("water", "مياه معدنية إفري 0.5 لتر", "Eau minérale Ifri 0,5 L", "EAU-IFRI-050", "bottle", 12, 22, 19, 900, 240),
    ("water", "مياه لالة خديجة 1.5 لتر", "Eau Lalla Khedidja 1,5 L", "EAU-LK-150", "bottle", 6, 38, 19, 600, 120),
    ("water", "مياه غازية سعيدة 1 لتر", "Eau gazeuse Saïda 1 L", "EAU-SAIDA-G1", "bottle", 6, 45, 19, 300, 60),
    ("water", "مياه المنصورة 5 لتر", "Eau Mansourah 5 L", "EAU-MANS-5L", "bottle", 2, 90, 19, 180, 40),
    ("soda", "حمود بوعلام سيليكتو 1 لتر", "Hamoud Boualem Selecto 1 L", "SOD-SELECTO-1L", "bottle", 6, 95, 19, 420, 60),
    (
        "soda",
        "حمود بوعلام ليموناضة 1 لتر",
        "Hamoud Boualem Limonade 1 L",
        "SOD-HB-LIM-1L",
        "bottle",
        6,
        90,
        19,
        360,
        60,
    ),
    ("soda", "كوكا كولا 1 لتر", "Coca-Cola 1 L", "SOD-COCA-1L", "bottle", 6, 110, 19, 480, 96),
    ("soda", "فانتا برتقال 33 سل", "Fanta orange canette 33 cl", "SOD-FANTA-33", "can", 24, 55, 19, 20, 48),
    ("soda", "إيفروت كولا 2 لتر", "Ifruit Cola 2 L", "SOD-IFRUIT-2L", "bottle", 6, 120, 19, 150, 36),
    ("juice", "عصير رويبة برتقال 1 لتر", "Jus Rouiba orange 1 L", "JUS-ROUIBA-OR1", "carton", 6, 170, 19, 240, 36),
    ("juice", "عصير رويبة تفاح 1 لتر", "Jus Rouiba pomme 1 L", "JUS-ROUIBA-PO1", "carton", 6, 170, 19, 180, 36),
    ("juice", "نكتار نقاوس مشمش 1 لتر", "Nectar N'Gaous abricot 1 L", "JUS-NGAOUS-AB1", "bottle", 6, 150, 19, 200, 36),
    ("juice", "عصير تودجة مانجو 25 سل", "Jus Toudja mangue 25 cl", "JUS-TOUDJA-MG", "bottle", 24, 45, 19, 480, 96),
    ("dairy", "حليب كانديا 1 لتر", "Lait Candia entier 1 L", "LAI-CANDIA-1L", "carton", 6, 130, 9, 600, 120),
    (
        "dairy",
        "حليب مبستر في كيس 1 لتر",
        "Lait pasteurisé en sachet 1 L",
        "LAI-SACHET-1L",
        "sachet",
        10,
        25,
        0,
        1000,
        200,
    ),
    ("dairy", "لبن صومام 1 لتر", "Lben Soummam 1 L", "LAI-LBEN-SOUM", "sachet", 10, 60, 9, 400, 100),
    ("dairy", "ياغورت صومام فراولة", "Yaourt Soummam fraise", "LAI-YAO-SOUM-FR", "piece", 24, 25, 9, 960, 240),
    (
        "dairy",
        "جبن مثلثات لافاش كيري 16 قطعة",
        "Fromage La Vache qui rit 16 portions",
        "LAI-VQR-16",
        "box",
        12,
        330,
        19,
        144,
        24,
    ),
    ("dairy", "حليب بودرة لويا 500 غ", "Lait en poudre Loya 500 g", "LAI-LOYA-500", "bag", 10, 520, 9, 120, 30),
    ("oil", "زيت المائدة إليو 5 لتر", "Huile de table Elio 5 L", "HUI-ELIO-5L", "bottle", 4, 650, 9, 240, 40),
    ("oil", "زيت المائدة إليو 2 لتر", "Huile de table Elio 2 L", "HUI-ELIO-2L", "bottle", 6, 270, 9, 300, 60),
    (
        "oil",
        "زيت الزيتون بكر ممتاز 1 لتر",
        "Huile d'olive extra vierge 1 L",
        "HUI-OLIVE-1L",
        "bottle",
        6,
        1200,
        19,
        60,
        12,
    ),
    ("oil", "مرغرين فلوريال 500 غ", "Margarine Fleurial 500 g", "HUI-FLEURIAL-500", "piece", 12, 240, 9, 180, 36),
    ("oil", "سمن لاشالوت 1 كغ", "Smen La Challotte 1 kg", "HUI-SMEN-1KG", "jar", 6, 850, 19, 48, 12),
    ("semolina", "سميد متوسط سيم 25 كغ", "Semoule moyenne SIM 25 kg", "SEM-SIM-MOY-25", "bag", 1, 1300, 9, 80, 20),
    ("semolina", "سميد رقيق سيم 10 كغ", "Semoule fine SIM 10 kg", "SEM-SIM-FIN-10", "bag", 1, 560, 9, 120, 20),
    ("semolina", "سميد الصافية 25 كغ", "Semoule Safina 25 kg", "SEM-SAFINA-25", "bag", 1, 1280, 9, 10, 20),
    ("semolina", "فرينة ممتازة 10 كغ", "Farine supérieure 10 kg", "FAR-SUP-10", "bag", 1, 450, 9, 90, 20),
    ("semolina", "فرينة للحلويات 1 كغ", "Farine pâtissière 1 kg", "FAR-PAT-1KG", "bag", 10, 75, 9, 300, 50),
    ("pasta", "سباغيتي عمر بن عمر 500 غ", "Spaghetti Amor Benamor 500 g", "PAT-AB-SPAG", "bag", 20, 65, 9, 800, 200),
    ("pasta", "معكرونة مطيجي 500 غ", "Coudes Metidji 500 g", "PAT-METIDJI-COU", "bag", 20, 60, 9, 600, 200),
    (
        "pasta",
        "كسكس رقيق عمر بن عمر 1 كغ",
        "Couscous fin Amor Benamor 1 kg",
        "PAT-AB-CSC-FIN",
        "bag",
        10,
        150,
        9,
        400,
        100,
    ),
    ("pasta", "شربة فريك 500 غ", "Frik concassé 500 g", "PAT-FRIK-500", "bag", 10, 140, 9, 150, 40),
    ("pasta", "أرز بسمتي 1 كغ", "Riz basmati 1 kg", "RIZ-BASMATI-1KG", "bag", 10, 320, 9, 200, 40),
    ("pasta", "أرز مصري 1 كغ", "Riz égyptien 1 kg", "RIZ-EGYPT-1KG", "bag", 10, 210, 9, 260, 40),
    ("coffee", "قهوة فاكتو مطحونة 250 غ", "Café moulu Facto 250 g", "CAF-FACTO-250", "bag", 12, 310, 19, 300, 60),
    ("coffee", "قهوة بونال 250 غ", "Café Bonal 250 g", "CAF-BONAL-250", "bag", 12, 300, 19, 240, 60),
    ("coffee", "قهوة عربية حبوب 1 كغ", "Café en grains arabica 1 kg", "CAF-GRAIN-1KG", "bag", 6, 1450, 19, 36, 12),
    ("coffee", "نسكافيه كلاسيك 100 غ", "Nescafé Classic 100 g", "CAF-NESCAFE-100", "jar", 12, 690, 19, 72, 24),
    ("coffee", "شاي أخضر أحمد 500 غ", "Thé vert Ahmed 500 g", "THE-AHMED-500", "box", 12, 430, 19, 96, 24),
    ("coffee", "شاي الكسرى 250 غ", "Thé El Ksar 250 g", "THE-KSAR-250", "box", 12, 260, 19, 144, 24),
    ("basics", "سكر أبيض سكور 1 كغ", "Sucre blanc Skor 1 kg", "SUC-SKOR-1KG", "bag", 10, 95, 9, 1500, 300),
    ("basics", "سكر أبيض 50 كغ", "Sucre cristallisé 50 kg", "SUC-CRIST-50", "bag", 1, 4600, 9, 40, 10),
    ("basics", "ملح الطعام 1 كغ", "Sel de table ENASEL 1 kg", "SEL-ENASEL-1KG", "bag", 20, 25, 9, 500, 100),
    ("basics", "عدس 1 كغ", "Lentilles 1 kg", "LEG-LENTIL-1KG", "bag", 10, 280, 9, 200, 40),
    ("basics", "حمص 1 كغ", "Pois chiches 1 kg", "LEG-POISCH-1KG", "bag", 10, 330, 9, 180, 40),
    ("basics", "فاصولياء بيضاء 1 كغ", "Haricots blancs 1 kg", "LEG-HARIC-1KG", "bag", 10, 350, 9, 150, 40),
    (
        "canned",
        "طماطم مصبرة عمر بن عمر 400 غ",
        "Concentré de tomate Amor Benamor 400 g",
        "CON-TOM-AB-400",
        "can",
        24,
        130,
        19,
        480,
        96,
    ),
    ("canned", "هريسة ديدة 135 غ", "Harissa Dida 135 g", "CON-HARISSA-135", "can", 24, 70, 19, 240, 48),
    ("canned", "سردين مصبر بالزيت", "Sardines à l'huile", "CON-SARD-125", "can", 50, 120, 19, 400, 100),
    ("canned", "تونة بالزيت 160 غ", "Thon à l'huile 160 g", "CON-THON-160", "can", 24, 280, 19, 240, 48),
    ("canned", "مربى المشمش 370 غ", "Confiture d'abricot 370 g", "CON-CONF-ABR", "jar", 12, 230, 19, 120, 24),
    ("cleaning", "مسحوق الغسيل إيزيس 1 كغ", "Lessive Isis 1 kg", "DET-ISIS-1KG", "bag", 12, 290, 19, 240, 48),
    ("cleaning", "مسحوق الغسيل لوشا 3 كغ", "Lessive Le Chat 3 kg", "DET-LECHAT-3KG", "bag", 4, 980, 19, 60, 16),
    (
        "cleaning",
        "سائل الأواني بريل 1.25 لتر",
        "Liquide vaisselle Pril 1,25 L",
        "DET-PRIL-125",
        "bottle",
        12,
        260,
        19,
        180,
        36,
    ),
    ("cleaning", "جافيل لاكروا 1 لتر", "Eau de Javel La Croix 1 L", "DET-JAVEL-1L", "bottle", 12, 90, 19, 360, 72),
    (
        "cleaning",
        "منظف الأرضيات كريستال 1 لتر",
        "Nettoyant sol Cristal 1 L",
        "DET-SOL-1L",
        "bottle",
        12,
        180,
        19,
        120,
        24,
    ),
    ("biscuits", "بسكويت بيمو بريستيج", "Biscuit Bimo Prestige", "BIS-BIMO-PREST", "pack", 24, 45, 19, 720, 144),
    ("biscuits", "بسكويت ماكسون شوكولاطة", "Biscuit Maxon chocolat", "BIS-MAXON-CHOC", "pack", 24, 40, 19, 600, 144),
    ("biscuits", "شوكولاطة سعيد 100 غ", "Chocolat Saïd 100 g", "BIS-CHOC-100", "piece", 20, 150, 19, 200, 40),
    ("biscuits", "حلوى الحلقوم 500 غ", "Loukoum 500 g", "BIS-LOUKOUM-500", "box", 12, 260, 19, 0, 12),
    ("biscuits", "علكة لولي", "Chewing-gum Lolly", "BIS-LOLLY", "box", 20, 180, 19, 100, 20),
    ("biscuits", "مادلين ديلي 250 غ", "Madeleines Deli 250 g", "BIS-MADEL-250", "pack", 12, 190, 19, 96, 24),
]


def barcode(n: int) -> str:
    body = f"613{n:09d}"
    return body + str(ean_check_digit(body))


def load(actor: Actor) -> dict[str, str]:
    """Create the demo catalog; returns the product ids by SKU."""
    ids: dict[str, str] = {}
    products: dict[str, str] = {}
    for key, parent, ar, fr, en in CATEGORIES:
        data = schemas.CategoryCreateIn(names=schemas.Names(ar=ar, fr=fr, en=en), parent_id=ids.get(parent or ""))
        ids[key] = categories.create_category(actor, data).category_id
    for n, (cat, ar, fr, sku, unit, pack, price, vat, stock, min_stock) in enumerate(PRODUCTS, start=1):
        data = schemas.ProductCreateIn(
            sku=sku,
            barcode=barcode(4200 + n),
            category_id=ids[cat],
            names=schemas.Names(ar=ar, fr=fr),
            sale_unit=schemas.SaleUnit(unit),
            pack_size=pack,
            base_price=price * 100,
            cost_price=price * 100 * 82 // 100,
            vat_rate=vat,
            stock_quantity=stock,
            min_stock_level=min_stock,
        )
        products[sku] = catalog_products.create_product(actor, data).product_id
    return products
