"""One catalogue of the words reports show, in English and Korean.

Every label, heading, sentence and chart text is a key here with its English and its Korean, the Korean
in the strategy's own words where it has them (/work/shared/data/korean_terms.md: 재자원화 for the
recycling target, 특정국 의존도 for the single-country target, 비축일수 for stockpile days).  A report
asks :func:`label` for a key in its language, with the values a sentence template needs; numbers are
formatted before they go in (``planner.reports.html.fmt``), so numbers, units, ISO codes and workbook
ids read the same in both languages.  The plain-name helpers name what the workbook holds: a mineral,
a country, a supply option by its workbook ``name`` (in Korean by its route when the name is English),
a Policy column by the words the Policy sheet's limits go by, a cost part, a measure with its definition.
"""

from __future__ import annotations

import re
import string

from models.dataset import PlanningData

LANGS = ("en", "ko")
EN, KO = LANGS
_HANGUL = re.compile(r"[\uac00-\ud7a3]")

# key -> (English, Korean).  Templates use str.format fields; both languages take the same fields.
CATALOGUE: dict[str, tuple[str, str]] = {
    # ---- the Policy sheet's limits, by column (and the agreements, left out as a whole) ----------
    "limit.china_cap_share": ("China cap", "중국 의존도 상한"),
    "limit.single_country_cap_share": ("single-country cap", "특정국 의존도 상한"),
    "limit.mining_country_cap_share": ("mining-country cap", "채굴 단계 특정국 의존도 상한"),
    "limit.refining_country_cap_share": ("refining-country cap", "정제 단계 특정국 의존도 상한"),
    "limit.risk_cap": ("political-risk cap", "정치적 위험 상한"),
    "limit.recycling_min_share": ("recycling minimum", "재자원화 비중 하한"),
    "limit.stockpile_min_days": ("stockpile minimum", "최소 비축일수"),
    "limit.ira_min_share": ("IRA-compliant minimum", "IRA 요건 충족 비중 하한"),
    "limit.agreements": ("joint stockpiles and swaps (agreements)", "공동비축·광물 스와프 협정"),
    "limit.china_and_single_country_caps": ("China cap and single-country cap together",
                                            "중국 의존도 상한과 특정국 의존도 상한 동시"),
    "limit.no_policy": ("all policies (the strategy against no policy)", "전체 정책 (정책 없음 대비 전략)"),
    # ---- the parts of the cost (planner.verify.COST_PARTS) and what each is ------------------
    "cost.purchases": ("purchases", "구매비"),
    "cost.contracts": ("contracts", "계약 고정비"),
    "cost.recycling_capital": ("recycling capital", "재자원화 설비 투자비"),
    "cost.recycling_operating": ("recycling operation", "재자원화 운영비"),
    "cost.refining": ("Korean refining", "국내 정제"),
    "cost.stockpile": ("stockpile", "비축 비용"),
    "cost.agreements": ("agreement fees", "협정 수수료"),
    "cost.terminal_stock": ("stock handed on (credit)", "기말 비축 잔존가치 (차감)"),
    "cost.shortage": ("shortage penalty", "부족량 페널티"),
    "cost_note.purchases": ("Tonnes bought from supply options at each year's escalated price.",
                            "공급처에서 산 물량 × 해당 연도 단가(상승률 반영)."),
    "cost_note.contracts": ("Fixed yearly costs of the contracts held, and of the minimum length past the horizon "
                            "of a late start.", "유지 중인 계약의 연간 고정비와, 늦게 시작한 계약의 계획 기간 이후 최소 "
                            "계약 기간분."),
    "cost_note.recycling_capital": ("Capital of the recycling modules built, as a yearly annuity over their life.",
                                    "새로 짓는 재자원화 설비 투자비를 수명에 걸친 연간 균등액으로 계산."),
    "cost_note.recycling_operating": ("Operating cost per tonne recycled.", "재자원화 톤당 운영비."),
    "cost_note.refining": ("Korean refineries: capital of the modules built, as a yearly annuity, and the "
                           "conversion cost per tonne refined.",
                           "국내 정제소: 새로 짓는 설비 투자비(연간 균등액)와 톤당 전환 비용."),
    "cost_note.stockpile": ("Purchase premium on stock added and holding cost on the stock.",
                            "비축 구매 할증과 보관비."),
    "cost_note.agreements": ("Yearly fees of the agreements joined, and per tonne of line held.",
                             "가입한 협정의 연회비와 확보 물량 톤당 수수료."),
    "cost_note.terminal_stock": ("A credit, so negative: the stock handed on after the last year, valued at that "
                                 "year's lowest price, so that a plan gains nothing by running the stock down at the "
                                 "end.", "차감 항목이라 음수: 마지막 해 이후에 넘겨주는 비축량을 그해 최저가로 평가한 "
                                 "가치로, 계획 말기에 비축을 소진해 이득을 보지 않게 함."),
    "cost_note.shortage": ("Shortage penalty on demand left unmet (only when the Settings allow it).",
                           "미충족 수요에 부과한 부족량 페널티 (설정에서 허용할 때만)."),
    # ---- measures, with their definitions --------------------------------------------------
    "measure.china_share": ("China share", "중국 의존도"),
    "measure.china_share.def.imports": ("China share of imports: tonnes bought abroad that were mined or refined "
                                        "in China over all tonnes bought abroad (Settings reliance_basis imports); "
                                        "tonne-weighted over minerals",
                                        "중국 의존도(수입 기준): 해외에서 산 물량 중 중국에서 채굴 또는 정제된 물량의 "
                                        "비중(설정 reliance_basis imports); 광물 전체는 물량 가중"),
    "measure.china_share.def.consumption": ("China share of consumption: tonnes mined or refined in China, stock "
                                            "releases of such tonnes included, over tonnes consumed (Settings "
                                            "reliance_basis consumption); tonne-weighted over minerals",
                                            "중국 의존도(소비 기준): 중국에서 채굴 또는 정제된 물량(그 비축분 방출 포함) "
                                            "÷ 소비량(설정 reliance_basis consumption); 광물 전체는 물량 가중"),
    "measure.china_share_mining": ("China share, mining", "중국 의존도 (채굴)"),
    "measure.china_share_mining.def": ("Share of {base} mined in China (the mining stage alone); tonne-weighted over "
                                       "minerals", "{base} 중 중국에서 채굴된 비중(채굴 단계만); 광물 전체는 물량 가중"),
    "measure.china_share_refining": ("China share, refining", "중국 의존도 (정제)"),
    "measure.china_share_refining.def": ("Share of {base} refined in China (the refining stage alone); "
                                         "tonne-weighted over minerals",
                                         "{base} 중 중국에서 정제된 비중(정제 단계만); 광물 전체는 물량 가중"),
    "basis.imports": ("imports", "수입"),
    "basis.consumption": ("supply (imports and recycling)", "공급(수입과 재자원화)"),
    "measure.minerals_over_target": ("Minerals above the China target", "중국 의존도 목표 초과 광물"),
    "measure.minerals_over_target.def": ("Minerals whose China share is above the all-minerals cap of the target "
                                         "year", "중국 의존도가 목표 연도의 전체 광물 상한을 넘는 광물 수"),
    "measure.top_country_share": ("Single-country share", "특정국 의존도"),
    "measure.top_country_share.def": ("The largest share of {base} from any one country (by mining or refining "
                                      "country); tonne-weighted over minerals",
                                      "한 나라(채굴 또는 정제 국가 기준)가 {base}에서 차지하는 최대 비중; 광물 전체는 "
                                      "물량 가중"),
    "measure.recycling_share": ("Recycling share", "재자원화 비중"),
    "measure.recycling_share.def": ("Tonnes recycled in Korea over demand; tonne-weighted over minerals",
                                    "국내 재자원화 물량 ÷ 수요, 광물 전체는 물량 가중"),
    "measure.stockpile_days": ("Stockpile days", "비축일수"),
    "measure.stockpile_days.def": ("Stock plus agreement lines at the end of the year, in days of that year's "
                                   "demand; demand-weighted over minerals",
                                   "연말 비축량과 협정 확보 물량 ÷ 그해 수요 × 365, 광물 전체는 수요 가중"),
    "measure.hhi": ("Concentration (HHI)", "집중도 (HHI)"),
    "measure.hhi.def": ("Herfindahl-Hirschman index of Korea's purchases by country at the stage: the sum of "
                        "squared country shares; 1 = one country, 0.25 = four equal countries",
                        "단계별(채굴·정제) 국가별 구매 비중의 제곱합인 허핀달-허쉬만 지수(HHI); 1 = 한 나라, "
                        "0.25 = 네 나라 균등"),
    "measure.hhi_refining": ("Concentration of refining (HHI), median mineral",
                             "정제 집중도 (HHI), 광물 중앙값"),
    "measure.hhi_refining.def": ("Herfindahl-Hirschman index of Korea's purchases by refining country (sum of "
                                 "squared country shares; 1 = one country, 0.25 = four equal countries); the median "
                                 "over minerals", "정제 국가별 구매 비중의 제곱합인 허핀달-허쉬만 지수(1 = 한 나라, "
                                 "0.25 = 네 나라 균등)의 광물 중앙값"),
    "measure.sr_median": ("EU supply risk, median mineral", "EU 공급위험 지수, 광물 중앙값"),
    "measure.sr_median.def": ("The EU criticality method's supply risk for Korea's sourcing (the higher of the "
                              "mining and refining stages; the EU flags 1 or more); the median over minerals",
                              "EU 핵심원자재 방법론의 공급위험 지수를 한국의 조달에 적용한 값(채굴·정제 중 높은 값; "
                              "EU는 1 이상을 위험으로 봄)의 광물 중앙값"),
    "measure.sr": ("EU supply risk", "EU 공급위험 지수"),
    "measure.sr.def": ("The EU criticality method's supply risk for Korea's sourcing (higher of the mining and "
                       "refining stages); the EU flags 1 or more",
                       "EU 핵심원자재 방법론의 공급위험 지수를 한국의 조달에 적용한 값(채굴·정제 단계 중 높은 값); "
                       "EU는 1 이상을 위험으로 봄"),
    # ---- statuses and significance -------------------------------------------------------------
    "status.optimal": ("optimal", "최적"),
    "status.feasible": ("feasible, not proven optimal", "실행 가능 (최적성 미증명)"),
    "status.infeasible": ("infeasible", "실행 불가"),
    "status.no_solution": ("no plan within the time limit", "시간 제한 내 해 없음"),
    "status.error": ("failed verification", "검증 실패"),
    "sig.yes": ("significant", "유의함"),
    "sig.no": ("not significant", "유의하지 않음"),
    "sig.no.why": ("not significant: within the two plans' proven gaps (USD {gap})",
                   "유의하지 않음: 두 계획의 증명된 최적성 차이(USD {gap}) 이내"),
    # ---- units and general words ---------------------------------------------------------------
    "unit.days": ("{n} days", "{n}일"),
    "unit.t_all": ("t, all minerals", "t, 전체 광물"),
    "word.mineral": ("mineral", "광물"),
    "word.year": ("year", "연도"),
    "word.country": ("country", "국가"),
    "word.option": ("supply option", "공급처"),
    "word.mining": ("mining", "채굴"),
    "word.refining": ("refining", "정제·제련"),
    "word.mined_in": ("mined in", "채굴국"),
    "word.refined_in": ("refined in", "정제국"),
    "word.recycled": ("recycling in Korea", "국내 재자원화"),
    "word.stock": ("stock (released - added)", "비축 (방출 - 적립)"),
    "word.unmet": ("unmet demand", "미충족 수요"),
    "word.others": ("other sources {t}", "기타 공급원 {t}"),
    "word.plan": ("the plan", "전략 계획"),
    "word.no_policy": ("no policy", "정책 없음"),
    "word.target": ("target", "목표"),
    "word.cap": ("cap", "상한"),
    "word.none": ("none", "없음"),
    "word.per_mineral": ("set per mineral", "광물별 설정"),
    "word.forced": ("forced", "고정"),
    "word.room": ("room", "여지 있음"),
    "word.needed": ("needed: without it no plan meets the other limits", "필수: 없으면 다른 한도를 모두 지키는 "
                                                                         "계획이 없음"),
    "word.now": ("now ({year}, first plan year)", "현재 ({year}, 계획 첫해)"),
    "word.usd_m": ("USD M", "USD M"),
    "word.t": ("t", "t"),
    "word.share": ("share", "비중"),
    "word.days": ("days", "일"),
    "word.adds": ("adds", "추가 비용"),
    "word.saves": ("saves", "절감"),
    "word.nothing": ("nothing measurable", "측정 가능한 차이 없음"),
    "word.sep": ("; ", "; "),
    # ---- the brief ---------------------------------------------------------------------------
    "brief.title": ("Critical-minerals strategy brief: {workbook}", "핵심광물 확보전략 브리핑: {workbook}"),
    "brief.subtitle": ("Decisions {first}-{last}. Every USD is USD of {price_year} prices, present value at the start "
                       "of {first} (discount rate {rate}). {plans} plans solved and each verified against the "
                       "workbook; input SHA-256 {sha}.",
                       "의사결정 기간 {first}-{last}. 모든 금액은 {price_year}년 가격 기준 미 달러(USD), {first}년 초 "
                       "현재가치(할인율 {rate}). 계획 {plans}개를 풀고 각각 워크북과 대조해 독립 검증함; 입력 "
                       "SHA-256 {sha}."),
    "brief.answers": ("The answers", "핵심 답변"),
    "brief.q.cost": ("What the strategy costs", "전략의 비용"),
    "brief.q.cost.figure": ("{usd}", "{usd}"),
    "brief.q.cost.unit": ("({pct} against no policy)", "(정책 없음 대비 {pct})"),
    "brief.q.cost.text": ("The strategy's least-cost plan costs {plan} over {first}-{last}; the plan with no policy "
                          "(the Policy sheet blank) costs {none}. The difference is {sig}.",
                          "전략의 최소비용 계획은 {first}-{last} 기간 {plan}, 정책이 없는 계획(정책 시트 공란)은 "
                          "{none}입니다. 차이는 {sig}."),
    "brief.q.cost.each": ("What each policy adds on its own: the strategy against the strategy without it.",
                          "각 정책의 단독 효과: 전략 계획과 그 정책만 뺀 계획의 비용 차이."),
    "brief.q.cost.overlap": ("The parts do not add up to the total: the limits overlap, and a tonne moved for one "
                             "often serves another.", "각 정책의 비용을 더해도 전체와 같지 않습니다: 한도들이 겹쳐 "
                             "한 정책 때문에 옮긴 물량이 다른 정책도 함께 충족하기 때문입니다."),
    "brief.q.cost.negative": ("A negative figure saves money: the plan without it costs more.",
                              "음수는 비용 절감을 뜻합니다: 그것을 뺀 계획이 더 비쌉니다."),
    "brief.standin": ("The {limit} costs nothing on its own ({usd}, {sig}): in {n} of {of} mineral-years the "
                      "{measure} sits at the {limit} ({minerals}), but the {by} holds it there anyway. Without the {by} "
                      "alone the plan costs {alone} less; without both, {both} less: each limit does the other's "
                      "work.",
                      "{limit_topic} 단독으로는 비용이 없습니다({usd}, {sig}): {of}개 광물·연도 중 {n}개에서 {measure_subject} "
                      "{limit}에 닿아 있지만({minerals}), {by_subject} 어차피 그 수준을 지키기 때문입니다. {by}만 "
                      "빼면 계획 비용이 {alone} 줄고, 둘 다 빼면 {both} 줄어듭니다: 두 한도가 서로의 역할을 "
                      "대신합니다."),
    "brief.q.china": ("Who replaces China in {year}", "{year}년 중국 물량의 대체처"),
    "brief.q.china.unit": ("China-linked tonnes replaced in {year}, all minerals, against no policy",
                           "{year}년 대체된 중국 연계 물량 (전체 광물, 정책 없음 대비)"),
    "brief.q.china.text": ("Per mineral, the sources that gain the tonnes China loses against the plan with no policy, "
                           "largest first (mining country \u2192 refining country); they add up to China's loss.",
                           "광물별로, 정책 없음 대비 중국이 잃는 물량을 가져가는 공급원(채굴국 → 정제국)을 큰 순서로 "
                           "보여 줍니다; 합계는 중국 감소량과 같습니다."),
    "brief.q.china.none": ("China's tonnes are the same as with no policy in {year}.",
                           "{year}년 중국 물량은 정책 없음과 같습니다."),
    "brief.q.exposure": ("How exposed Korea is", "한국의 공급망 노출도"),
    "brief.q.exposure.text": ("The plan's measures now, in the target year and at the end, against the targets; "
                              "no policy beside.", "계획의 지표를 현재, 목표 연도, 마지막 해에 목표와 비교하고 정책 "
                              "없음을 함께 보여 줍니다."),
    "brief.q.stop": ("What if a supplier stops", "공급 차질이 생기면"),
    "brief.q.stop.unit": ("the costliest disruption ({event}, from {year}) with the plan's stock and lines",
                          "가장 비싼 공급 차질({event}, {year}년 시작), 계획의 비축과 협정 물량 사용 시"),
    "brief.q.stop.text": ("Each event of the Disruptions sheet hits the plan as decided (contracts, stock and "
                          "agreement lines held); the same event hits the no-policy plan. What the strategy's stock, "
                          "lines and suppliers buy together is the difference.",
                          "공급 차질 시트의 각 사건이 결정된 계획(계약, 비축, 협정 물량 고정)을 덮칩니다; 같은 사건이 "
                          "정책 없음 계획도 덮칩니다. 전략의 비축·협정·공급처 다변화가 함께 주는 가치는 그 차이입니다."),
    "brief.q.stop.none": ("The workbook has no disruptions: add rows to its Disruptions sheet to test the plan.",
                          "워크북에 공급 차질 사건이 없습니다: 계획을 시험하려면 공급 차질 시트에 행을 추가하세요."),
    "brief.q.open": ("What is still open", "아직 열려 있는 결정"),
    "brief.q.open.unit": ("of {n} decisions have room within {slack} of the least cost",
                          "최소비용의 {slack} 이내에서 여지가 있는 결정 (전체 {n}개 중)"),
    "brief.q.open.text": ("{forced} decisions are forced: every plan within {slack} of the least cost ({budget}) "
                          "takes them the same way. The ones with the most room:",
                          "{forced}개 결정은 고정입니다: 최소비용의 {slack}({budget}) 이내 모든 계획이 같은 선택을 "
                          "합니다. 여지가 가장 큰 결정:"),
    "brief.q.open.none": ("Not computed: run 'planner brief --alternatives' for the decisions that are forced and "
                          "those with room within 2% of the least cost.",
                          "계산하지 않음: 최소비용의 2% 이내에서 고정된 결정과 여지가 있는 결정을 보려면 'planner "
                          "brief --alternatives'를 실행하세요."),
    "brief.assumptions": ("Assumptions", "가정"),
    "brief.assume.usd": ("Every USD is USD of {price_year} prices, present value at the start of {first} at a {rate} "
                         "real discount rate, summed over {first}-{last}.",
                         "모든 금액은 {price_year}년 가격 기준 미 달러이며, 실질 할인율 {rate}로 {first}년 초 현재가치로 "
                         "환산해 {first}-{last} 기간을 합한 값입니다."),
    "brief.assume.foresight": ("Perfect foresight: each plan knows every year's prices, demand and limits in "
                               "advance; disruptions are not foreseen but tested on the plan as decided.",
                               "완전 예견: 각 계획은 모든 연도의 가격·수요·한도를 미리 압니다; 공급 차질은 예견하지 "
                               "않고 결정된 계획에 사후 시험합니다."),
    "brief.assume.no_policy": ("'No policy' is the same workbook with the Policy sheet blank; agreements are joined "
                               "there only where they pay.", "'정책 없음'은 정책 시트를 비운 같은 워크북이며, 협정은 "
                               "이득일 때만 가입합니다."),
    "brief.assume.significance": ("A difference smaller than the two plans' proven gaps (how far HiGHS proved each "
                                  "plan is from the least possible cost) is not significant and shown as such; "
                                  "values within round-off are 0.",
                                  "두 계획의 증명된 최적성 차이(HiGHS가 증명한 최소 가능 비용과의 거리)보다 작은 차이는 "
                                  "유의하지 않다고 표시하며, 반올림 오차 이내의 값은 0입니다."),
    "brief.assume.negative": ("Negative cost parts: {parts}", "음수 비용 항목: {parts}"),
    "brief.assume.shares": ("Shares are tonne-weighted over minerals where a total is shown; per mineral below.",
                            "전체 값은 광물 간 물량 가중 평균이며, 광물별 값은 아래에 있습니다."),
    "brief.sec.map": ("Where the tonnes come from in {year}", "{year}년 물량의 출처"),
    "brief.map.title": ("{mineral}, {year}: mining country \u2192 refining country \u2192 {home}",
                        "{mineral}, {year}년: 채굴국 → 정제국 → {home}"),
    "brief.map.legend": ("line width in tonnes; a leg takes the colour of the country it starts from; mining "
                         "countries shaded", "선 굵기는 물량(t); 선 색은 출발 국가의 색; 채굴국은 음영 표시"),
    "brief.map.no_policy": ("No policy", "정책 없음"),
    "brief.map.plan": ("The plan", "전략 계획"),
    "brief.map.recycled": ("recycling in Korea {t}", "국내 재자원화 {t}"),
    "brief.map.domestic": ("mined and refined in Korea {t}", "국내 채굴·정제 {t}"),
    "brief.map.stock": ("from stock {t}", "비축 방출 {t}"),
    "brief.map.to_stock": ("into stock {t}", "비축 적립 {t}"),
    "brief.map.unmet": ("unmet {t}", "미충족 {t}"),
    "brief.map.missing": ("not on the map: {countries}", "지도에 없음: {countries}"),
    "brief.map.nothing": ("no purchases", "구매 없음"),
    "brief.sec.costs": ("What each policy costs", "정책별 비용"),
    "brief.costs.chart": ("What each policy adds on its own (USD M, present value)",
                          "정책별 단독 추가 비용 (USD M, 현재가치)"),
    "brief.costs.parts": ("The cost and its parts, the plan against no policy", "비용 구성: 전략 계획 대 정책 없음"),
    "brief.sec.china": ("Who replaces China, year by year", "연도별 중국 물량의 대체처"),
    "brief.sec.exposure": ("Exposure per mineral", "광물별 노출도"),
    "brief.exposure.chart": ("China share of {basis}, tonne-weighted over minerals",
                             "중국 의존도 ({basis} 기준, 광물 간 물량 가중)"),
    "basis_word.imports": ("imports", "수입"),
    "basis_word.consumption": ("consumption", "소비"),
    "brief.stop.line": ("{event} from {year}: {plan} with the plan, {none} with no policy",
                        "{event} ({year}년 시작): 전략 계획 {plan}, 정책 없음 {none}"),
    "brief.sec.stop": ("Disruptions: each event at its costliest start year", "공급 차질: 사건별 가장 비싼 시작 연도"),
    "brief.stop.chart": ("Cost of each disruption (USD M, present value)", "공급 차질별 비용 (USD M, 현재가치)"),
    "brief.sec.open": ("Decisions within {slack} of the least cost", "최소비용 {slack} 이내의 결정 범위"),
    "brief.sec.definitions": ("Definitions", "정의"),
    "brief.footer": ("planner brief {version}; the workbook beside this page holds every table and chart.",
                     "planner brief {version}; 함께 저장된 워크북에 모든 표와 차트가 있습니다."),
    # ---- column headings of the brief's tables ---------------------------------------------------
    "col.policy": ("policy", "정책"),
    "col.on_its_own": ("on its own (USD M)", "단독 효과 (USD M)"),
    "col.significance": ("significance", "유의성"),
    "col.cost_without": ("plan without it (USD M)", "제외한 계획 (USD M)"),
    "col.adds": ("the policy adds (USD M)", "정책의 추가 비용 (USD M)"),
    "col.adds_share": ("share of the plan without it", "제외 계획 대비"),
    "col.proven": ("proven range (USD M)", "증명된 범위 (USD M)"),
    "col.proven_low": ("proven range from (USD M)", "증명된 범위 하한 (USD M)"),
    "col.proven_high": ("proven range to (USD M)", "증명된 범위 상한 (USD M)"),
    "col.status": ("status", "상태"),
    "col.part": ("cost part", "비용 항목"),
    "col.plan_usd": ("the plan (USD M)", "전략 계획 (USD M)"),
    "col.no_policy_usd": ("no policy (USD M)", "정책 없음 (USD M)"),
    "col.difference": ("difference (USD M)", "차이 (USD M)"),
    "col.what": ("what it is", "설명"),
    "col.china_loses": ("China loses (t)", "중국 감소량 (t)"),
    "col.replaced_by": ("replaced by, largest first", "대체처 (큰 순서)"),
    "col.unmet": ("unmet (t)", "미충족 (t)"),
    "col.source": ("source", "공급원"),
    "col.change": ("change (t)", "변화 (t)"),
    "col.measure": ("measure", "지표"),
    "col.definition": ("definition", "정의"),
    "col.no_policy_year": ("no policy {year}", "정책 없음 {year}"),
    "col.target_year": ("target {year}", "목표 {year}"),
    "col.china_year": ("China share {year}", "중국 의존도 {year}"),
    "col.top_country": ("largest country {year}", "최대 국가 {year}"),
    "col.hhi_mining": ("HHI mining {year}", "HHI 채굴 {year}"),
    "col.hhi_refining": ("HHI refining {year}", "HHI 정제 {year}"),
    "col.sr_year": ("EU supply risk {year}", "EU 공급위험 {year}"),
    "col.event": ("disruption (start year)", "공급 차질 (시작 연도)"),
    "col.cost_plan": ("cost with the plan (USD M)", "전략 계획 비용 (USD M)"),
    "col.cost_no_policy": ("cost with no policy (USD M)", "정책 없음 비용 (USD M)"),
    "col.saved": ("the strategy saves (USD M)", "전략의 절감액 (USD M)"),
    "col.lost": ("tonnes lost", "손실 물량 (t)"),
    "col.from_stock": ("from stock and lines (t)", "비축·협정 물량 (t)"),
    "col.spot": ("bought spot (t)", "현물 구매 (t)"),
    "col.probability": ("probability", "확률"),
    "col.decision": ("decision", "결정"),
    "col.unit": ("unit", "단위"),
    "col.least_cost": ("least-cost plan", "최소비용 계획"),
    "col.low": ("least", "최소"),
    "col.high": ("most", "최대"),
    "col.room": ("room", "여지"),
    "col.question": ("question", "질문"),
    "col.answer": ("answer", "답변"),
    "col.value": ("value", "값"),
    "col.name": ("name", "이름"),
    "col.plan": ("plan", "계획"),
    "col.tonnes": ("tonnes", "물량 (t)"),
    # ---- the brief's workbook ---------------------------------------------------------------------
    "sheet.answers": ("Answers", "핵심 답변"),
    "sheet.costs": ("Costs", "정책별 비용"),
    "sheet.parts": ("Cost parts", "비용 구성"),
    "sheet.china": ("Replacing China", "중국 대체"),
    "sheet.exposure": ("Exposure", "노출도"),
    "sheet.routes": ("Routes", "공급 경로"),
    "sheet.disruptions": ("Disruptions", "공급 차질"),
    "sheet.open": ("Open decisions", "열린 결정"),
    "sheet.definitions": ("Definitions", "정의"),
    "sheet.run": ("Run", "실행 정보"),
    "decision.supplier": ("tonnes from {name} over the horizon", "{name} 구매량 (전 기간)"),
    "decision.recycling": ("recycling modules {name}", "재자원화 설비 {name}"),
    "decision.agreement": ("years in agreement {name}", "협정 {name} 가입 연수"),
    "decision.stock": ("stock of {name}, mean days of demand", "{name} 비축 (평균 수요 일수)"),
    "unit.modules": ("modules", "기"),
    "unit.years": ("years", "년"),
}

# The countries Korea buys critical minerals from and their neighbours, in Korean (ISO 3166-1 alpha-3).
KO_COUNTRIES = {
    "KOR": "한국", "PRK": "북한", "CHN": "중국", "JPN": "일본", "TWN": "대만", "HKG": "홍콩", "MNG": "몽골",
    "VNM": "베트남", "LAO": "라오스", "KHM": "캄보디아", "THA": "태국", "MMR": "미얀마", "MYS": "말레이시아",
    "SGP": "싱가포르", "IDN": "인도네시아", "PHL": "필리핀", "IND": "인도", "PAK": "파키스탄", "KAZ": "카자흐스탄",
    "UZB": "우즈베키스탄", "KGZ": "키르기스스탄", "TJK": "타지키스탄", "RUS": "러시아", "TUR": "튀르키예",
    "IRN": "이란", "SAU": "사우디아라비아", "ARE": "아랍에미리트", "OMN": "오만", "AUS": "호주", "NZL": "뉴질랜드",
    "PNG": "파푸아뉴기니", "NCL": "뉴칼레도니아", "USA": "미국", "CAN": "캐나다", "MEX": "멕시코", "BRA": "브라질",
    "ARG": "아르헨티나", "CHL": "칠레", "BOL": "볼리비아", "PER": "페루", "COL": "콜롬비아", "CUB": "쿠바",
    "DEU": "독일", "FRA": "프랑스", "GBR": "영국", "ITA": "이탈리아", "ESP": "스페인", "PRT": "포르투갈",
    "NLD": "네덜란드", "BEL": "벨기에", "AUT": "오스트리아", "CHE": "스위스", "POL": "폴란드", "CZE": "체코",
    "SVK": "슬로바키아", "HUN": "헝가리", "SWE": "스웨덴", "NOR": "노르웨이", "FIN": "핀란드", "EST": "에스토니아",
    "SRB": "세르비아", "UKR": "우크라이나", "GRL": "그린란드", "MAR": "모로코", "EGY": "이집트", "ZAF": "남아프리카공화국",
    "COD": "콩고민주공화국", "COG": "콩고공화국", "ZMB": "잠비아", "ZWE": "짐바브웨", "NAM": "나미비아",
    "MOZ": "모잠비크", "MDG": "마다가스카르", "TZA": "탄자니아", "GAB": "가봉", "GHA": "가나", "GIN": "기니",
    "MLI": "말리", "NGA": "나이지리아", "RWA": "르완다", "MWI": "말라위", "ETH": "에티오피아", "KEN": "케냐",
    "UGA": "우간다",
}

# Plain English for the inverted official forms some country lists use ("Korea, Republic of").
EN_COUNTRIES = {"KOR": "Korea", "PRK": "North Korea", "COD": "DR Congo", "COG": "Congo", "IRN": "Iran",
                "TZA": "Tanzania", "VNM": "Viet Nam", "LAO": "Laos", "RUS": "Russia"}

# Minerals by mineral_id (or English name), in Korean (korean_terms.md).
KO_MINERALS = {
    "lithium": "리튬", "nickel": "니켈", "cobalt": "코발트", "manganese": "망간", "graphite": "흑연",
    "neodymium": "네오디뮴", "praseodymium": "프라세오디뮴", "dysprosium": "디스프로슘", "terbium": "터븀",
    "cerium": "세륨", "lanthanum": "란탄", "gallium": "갈륨", "germanium": "게르마늄", "tungsten": "텅스텐",
    "molybdenum": "몰리브덴", "antimony": "안티모니", "rare earths": "희토류",
}


def check_lang(lang: str) -> str:
    """``lang`` if the catalogue has it, else ValueError naming the ones it has."""
    if lang not in LANGS:
        raise ValueError(f"{lang!r} is not a report language; choose one of {', '.join(LANGS)}")
    return lang


def label(key: str, lang: str = EN, **values: object) -> str:
    """The catalogue's text for ``key`` in ``lang``, its fields filled with ``values``."""
    text = CATALOGUE[key][LANGS.index(check_lang(lang))]
    return text.format(**values) if values else text


def fields(key: str) -> list[set[str]]:
    """The template fields of each language's text of ``key`` (for the catalogue's own test)."""
    return [{f for _, f, _, _ in string.Formatter().parse(text) if f} for text in CATALOGUE[key]]


def is_korean(text: str) -> bool:
    return bool(_HANGUL.search(text))


def mineral_name(d: PlanningData, mineral_id: str, lang: str = EN) -> str:
    """A mineral by its Minerals sheet name (in Korean, the strategy's word for it)."""
    name = d.minerals[mineral_id].name if mineral_id in d.minerals else mineral_id
    if lang == KO and not is_korean(name):
        return KO_MINERALS.get(mineral_id.lower(), KO_MINERALS.get(name.lower(), name))
    return name


def country_name(d: PlanningData, code: str, lang: str = EN) -> str:
    """A country by its Countries sheet name (in Korean, its Korean name; the ISO code if unknown)."""
    name = d.countries[code].name if code in d.countries else code
    if lang == KO and not is_korean(name):
        return KO_COUNTRIES.get(code, code)
    return EN_COUNTRIES.get(code, name) if ", " in name else name


def route_name(d: PlanningData, origin: str, processing: str, lang: str = EN) -> str:
    """'Australia -> Korea' (mined there, refined here), or one country for both."""
    a, b = country_name(d, origin, lang), country_name(d, processing, lang)
    return a if origin == processing else f"{a} \u2192 {b}"


def option_name(d: PlanningData, supplier_id: str, lang: str = EN, with_id: bool = True) -> str:
    """A supply option by its workbook name, id beside it; in Korean by its route when the name is English."""
    s = d.suppliers[supplier_id]
    name = s.name or supplier_id
    if lang == KO and not is_korean(name):
        name = f"{mineral_name(d, s.mineral_id, lang)} {route_name(d, s.origin_country, s.processing_country, lang)}"
    return f"{name} ({supplier_id})" if with_id and name != supplier_id else name


def limit_name(column: str, lang: str = EN) -> str:
    """A Policy column (or agreements, a pair, no policy) by the words its limit goes by."""
    return label(f"limit.{column}", lang)


def cost_part(part: str, lang: str = EN) -> str:
    return label(f"cost.{part}", lang)


def cost_note(part: str, lang: str = EN) -> str:
    return label(f"cost_note.{part}", lang)


def measure(name: str, lang: str = EN) -> str:
    return label(f"measure.{name}", lang)


def definition(name: str, lang: str = EN, basis: str = "imports") -> str:
    """A measure's definition; exposure shares on Settings reliance_basis (``basis``)."""
    key = f"measure.{name}.def.{basis}"
    if key in CATALOGUE:
        return label(key, lang)
    key = f"measure.{name}.def"
    return label(key, lang, base=label(f"basis.{basis}", lang)) if "base" in fields(key)[0] else label(key, lang)


def status(value: str, lang: str = EN) -> str:
    key = f"status.{value}"
    return label(key, lang) if key in CATALOGUE else value


def topic(word: str, lang: str = EN) -> str:
    """In Korean, ``word`` with its topic particle (은 after a final consonant, else 는)."""
    return word + _particle(word, "은", "는") if lang == KO else word


def subject(word: str, lang: str = EN) -> str:
    """In Korean, ``word`` with its subject particle (이 after a final consonant, else 가)."""
    return word + _particle(word, "이", "가") if lang == KO else word


def _particle(word: str, after_consonant: str, after_vowel: str) -> str:
    last = word.rstrip(" )")[-1:] if word else ""
    if _HANGUL.match(last):
        return after_consonant if (ord(last) - 0xAC00) % 28 else after_vowel
    return after_consonant if last.isdigit() or last.lower() in "lmnr" else after_vowel


def days(n: str, lang: str = EN) -> str:
    """'100 days' / '100일' from a formatted number."""
    return label("unit.days", lang, n=n)
