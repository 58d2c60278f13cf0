"""What the data files may say: indicators, measures, units, columns, patterns.

New indicators are added here and to data/README.md (the schema rejects
unknown ones).
"""

from __future__ import annotations

INDICATORS: dict[str, str] = {
    "retail_sales_total": "社会消费品零售总额",
    "retail_sales_ex_auto": "除汽车以外的消费品零售额",
    "retail_sales_above_size": "限额以上单位消费品零售额",
    "retail_sales_catering": "餐饮收入",
    "retail_sales_goods": "商品零售",
    "online_retail_total": "全国网上零售额",
    "online_retail_physical": "实物商品网上零售额",
    "online_retail_physical_food": "实物商品网上零售额·吃类",
    "online_retail_physical_clothing": "实物商品网上零售额·穿类",
    "online_retail_physical_use": "实物商品网上零售额·用类",
    "store_retail_above_size": "限额以上单位实体店零售额",
    "store_format_supermarket": "限额以上超市",
    "store_format_convenience": "限额以上便利店",
    "store_format_department": "限额以上百货店",
    "store_format_specialty": "限额以上专业店",
    "store_format_exclusive": "限额以上专卖店",
    "above_size_internet_retail": "限额以上单位通过互联网实现的商品零售额",
    "express_volume": "快递业务量",
    "express_revenue": "快递业务收入",
    "category_grain_oil_food": "粮油、食品类",
    "category_beverage": "饮料类",
    "category_tobacco_liquor": "烟酒类",
    "category_clothing": "服装鞋帽、针纺织品类",
    "category_cosmetics": "化妆品类",
    "category_jewelry": "金银珠宝类",
    "category_daily_use": "日用品类",
    "category_sports_recreation": "体育、娱乐用品类",
    "category_books": "书报杂志类",
    "category_appliances": "家用电器和音像器材类",
    "category_medicine": "中西药品类",
    "category_culture_office": "文化办公用品类",
    "category_furniture": "家具类",
    "category_communication": "通讯器材类",
    "category_petroleum": "石油及制品类",
    "category_auto": "汽车类",
    "category_building_decoration": "建筑及装潢材料类",
}

# English names (as NBS's English releases word them), for the English edition's explanations
INDICATORS_EN: dict[str, str] = {
    "retail_sales_total": "total retail sales of consumer goods",
    "retail_sales_ex_auto": "retail sales excluding automobiles",
    "retail_sales_above_size": "retail sales of units above designated size",
    "retail_sales_catering": "catering income",
    "retail_sales_goods": "retail sales of goods",
    "online_retail_total": "national online retail sales",
    "online_retail_physical": "online retail sales of physical goods",
    "online_retail_physical_food": "online retail sales of physical goods: food",
    "online_retail_physical_clothing": "online retail sales of physical goods: clothing",
    "online_retail_physical_use": "online retail sales of physical goods: articles of use",
    "store_retail_above_size": "physical-store retail sales of units above designated size",
    "store_format_supermarket": "supermarkets above designated size",
    "store_format_convenience": "convenience stores above designated size",
    "store_format_department": "department stores above designated size",
    "store_format_specialty": "specialty stores above designated size",
    "store_format_exclusive": "exclusive (brand) stores above designated size",
    "above_size_internet_retail": "internet retail sales of units above designated size",
    "express_volume": "express delivery volume",
    "express_revenue": "express delivery revenue",
    "category_grain_oil_food": "grain, oil and food",
    "category_beverage": "beverages",
    "category_tobacco_liquor": "tobacco and liquor",
    "category_clothing": "garments, footwear, hats and knitwear",
    "category_cosmetics": "cosmetics",
    "category_jewelry": "gold, silver and jewellery",
    "category_daily_use": "daily-use articles",
    "category_sports_recreation": "sports and recreation articles",
    "category_books": "books, newspapers and magazines",
    "category_appliances": "household appliances and audio-video equipment",
    "category_medicine": "Chinese and Western medicines",
    "category_culture_office": "cultural and office articles",
    "category_furniture": "furniture",
    "category_communication": "communication appliances",
    "category_petroleum": "petroleum and related products",
    "category_auto": "automobiles",
    "category_building_decoration": "building and decoration materials",
}

MEASURES = {"level", "yoy_pct", "yoy_real_pct", "share_pct"}
# Units as printed -> (canonical unit, factor). English releases print
# "billion yuan" (十亿元) and "billion pieces" (十亿件); some levels are printed
# in 万件. Conversion is an exact power of ten, done in code, never by hand in data/.
LEVEL_UNITS = {
    "亿元": ("亿元", 1.0),
    "十亿元": ("亿元", 10.0),
    "万亿元": ("亿元", 10000.0),
    "亿件": ("亿件", 1.0),
    "十亿件": ("亿件", 10.0),
    "万件": ("亿件", 0.0001),
}

OFFICIAL_COLUMNS = [
    "indicator", "period_start", "period_end", "measure", "value", "unit",
    "release_title", "release_date", "source_url", "quote", "note", "source_strength",
]
# how far the page a value was read on is from the release (data/README.md): primary = the official
# release page or its verbatim mirror; reprint = an official figure reprinted by a news, English or
# Japanese page; weak = a machine-translated or unverified page. Empty on gap rows.
SOURCE_STRENGTHS = ("primary", "reprint", "weak")
SOURCE_STRENGTH_LABELS = {"primary": ("一手", "primary"), "reprint": ("转载", "reprint"), "weak": ("弱", "weak")}


def source_strength_label(strength: str, language: str) -> str:
    """A source strength as an edition shows it ('' for none)."""
    if not strength:
        return ""
    return SOURCE_STRENGTH_LABELS[strength][0 if language == "zh" else 1]
CLAIM_COLUMNS = [
    "claim_id", "section", "report_section", "quote", "quote_en", "value",
    "unit", "kind", "period", "checkable", "note",
]
CLAIM_CHECKABLE = {"public_data", "arithmetic", "published_index", "not_public"}

# The measures the report's industry statements (data/published/industry_statements.csv)
# distinguish, with their labels (zh, en). "disputes": the report says 纠纷情况/纠纷涨幅
# without saying which measure (share, rate or volume).
STATEMENT_METRICS: dict[str, tuple[str, str]] = {
    "index": ("指数", "index"),
    "dispute_share": ("纠纷占比", "dispute share"),
    "dispute_rate": ("纠纷率", "dispute rate"),
    "dispute_initiation_rate": ("纠纷发起率", "dispute initiation rate"),
    "disputes": ("纠纷（口径未说明）", "disputes (measure unstated)"),
    "dispute_volume": ("纠纷量", "dispute volume"),
    "turnover_growth": ("成交增幅", "turnover growth"),
}
# What a statement gives, most to least informative. exact: a printed number; lower_bound:
# 超过/以上 X; approx: 基本持平 (≈0, no number); direction: up or down only; ranking: 最高/冠军
# (rank 1, no number).
STATEMENT_NATURES = ("exact", "lower_bound", "approx", "direction", "ranking")

MONTH = r"^\d{4}-(0[1-9]|1[0-2])$"
DATE = r"^\d{4}-\d{2}-\d{2}$"
NUMBER = r"^-?\d+(\.\d+)?$"
