"""One catalogue of the words reports show, in English and Korean.

Every label, heading, sentence and chart text is a key here with its English and its Korean, the Korean
in the strategy's own words where it has them (/work/shared/data/korean_terms.md: 재자원화 for the
recycling target, 특정국 의존도 for the single-country target, 비축일수 for stockpile days).  A report
asks :func:`label` for a key in its language, with the values a sentence template needs; numbers are
formatted before they go in (``planner.reports.html.fmt``), so numbers, units, ISO codes and workbook
ids read the same in both languages.  The plain-name helpers name what the workbook holds: a mineral,
a country, a supply option by its workbook ``name`` (in Korean by its route when the name is English),
a Policy column by the words the Policy sheet's limits go by, a cost part, a measure with its definition,
what a decision is about, years in runs.
"""

from __future__ import annotations

import math
import re
import string
from collections.abc import Callable

from models.dataset import DAYS_PER_YEAR, PlanningData
from models.plan import FAMILY_LIMIT

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
    # Run facts in words (``Worded``): the .json keeps the English, a Korean Run sheet shows the Korean.
    "run.options_none": ("none (all from the Settings sheet)", "없음 (모두 Settings 시트에서)"),
    "run.engine_highs": ("highs: the extensive form in this process", "highs: 이 프로세스에서 확장형으로 풂"),
    "run.engine_mpisppy": ("mpisppy on {ranks} MPI ranks: {blocks}; rank memory {memory} MB",
                           "mpisppy, MPI 랭크 {ranks}개: {blocks}; 랭크당 메모리 {memory} MB"),
    "run.engine_ef": ("{block} extensive form on one rank (~{mb} MB)", "{block}: 한 랭크에서 확장형으로 풂 (~{mb} MB)"),
    "run.engine_ph": ("{block} Progressive Hedging across the ranks (~{mb} MB)",
                      "{block}: 여러 랭크에 걸쳐 Progressive Hedging으로 풂 (~{mb} MB)"),
    "run.sampled_no": ("no: the Disruptions sheet", "아니오: Disruptions 시트"),
    "run.verified_recourse": ("yes: every plan and every scenario's recourse rechecked from the input",
                              "예: 모든 계획과 모든 시나리오의 대응을 입력 데이터로 재확인"),
    "run.verified_coalitions": ("yes: every coalition's plan and every scenario rechecked from the input",
                                "예: 모든 연합의 계획과 모든 시나리오를 입력 데이터로 재확인"),
    "run.all_minerals": ("all", "전체"),
    "run.status_cost": ("{status}, {usd} USD", "{status}, {usd} USD"),
    "run.status_wall": ("{status}, {s} s", "{status}, {s}초"),
    "run.of_samples": ("{n} of {of} sample{of_s}", "표본 {of}개 중 {n}개"),
    "status.optimal": ("optimal", "최적"),
    "status.feasible": ("feasible, not proven optimal", "실행 가능 (최적성 미증명)"),
    "status.infeasible": ("infeasible", "실행 불가"),
    "status.no_solution": ("no plan within the time limit", "시간 제한 내 해 없음"),
    "status.error": ("failed verification", "검증 실패"),
    # an alternative's direction that no decision of the case moves (recycling without any option)
    "status.not_applicable": ("not applicable", "해당 없음"),
    "sig.yes": ("significant", "유의함"),
    "sig.no": ("not significant", "유의하지 않음"),
    # A significance column's cell (plan_workbook.significance): yes or no in English, in Korean the term's words.
    "sig.cell.yes": ("yes", "유의함"),
    "sig.cell.no": ("no", "유의하지 않음"),
    # A chart's category whose bar is within its proven gap (html.chart_name); with two bars, which one.
    "sig.chart_name": ("{name} ({sig})", "{name} ({sig})"),
    "sig.chart_bar": ("{bar}: {sig}", "{bar}: {sig}"),
    "sig.no.why": ("not significant: within the two plans' proven gaps ({gap})",
                   "유의하지 않음: 두 계획의 증명된 최적성 차이({gap}) 이내"),
    "sig.no.why.each": ("not significant: each within its two plans' proven gaps ({a} and {b})",
                        "유의하지 않음: 각각 두 계획의 증명된 최적성 차이({a_with} {b}) 이내"),
    # ---- units and general words ---------------------------------------------------------------
    "unit.days": ("{n} day{n_s}", "{n}일"),
    "unit.day_short": (" d", "일"),  # after a number of days in a table's cell
    "unit.points": ("{n} pp", "{n}%p"),  # a difference of two shares, in percentage points
    "word.mineral": ("mineral", "광물"),
    "word.year": ("year", "연도"),
    "word.country": ("country", "국가"),
    "word.mining": ("mining", "채굴"),
    "word.refining": ("refining", "정제·제련"),
    "word.mined_in": ("mined in", "채굴국"),
    "word.refined_in": ("refined in", "정제국"),
    "word.recycled": ("recycling in Korea", "국내 재자원화"),
    "word.stock": ("stock (released - added)", "비축 순방출 (방출 - 적립)"),
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
                       "of {first} (discount rate {rate}). {plans} plan{plans_s} solved and each verified against the "
                       "workbook; input SHA-256 {sha}.",
                       "의사결정 기간 {first}-{last}. 모든 금액은 {price_year}년 가격 기준 미 달러(USD), {first}년 초 "
                       "현재가치(할인율 {rate}). 계획 {plans}개를 풀고 각각 워크북과 대조해 독립 검증함; 입력 "
                       "SHA-256 {sha}."),
    "brief.answers": ("The answers", "핵심 답변"),
    "brief.q.cost": ("What the strategy costs", "전략의 비용"),
    "brief.q.cost.unit": ("({pct} against no policy)", "(정책 없음 대비 {pct})"),
    "brief.q.cost.text": ("The strategy's least-cost plan costs {plan} over {first}-{last}; the plan with no policy "
                          "(the Policy sheet blank) costs {none}. The difference is {sig}.",
                          "전략의 최소비용 계획은 {first}-{last} 기간 {plan}, 정책이 없는 계획(Policy 시트 공란)은 "
                          "{none}입니다. 차이는 {sig}."),
    "brief.q.cost.each": ("What each policy adds when added last to the others: the strategy against the strategy "
                          "without it, every other policy kept (not the policy alone against no policy, which can "
                          "differ widely).",
                          "각 정책을 나머지 정책에 마지막으로 추가할 때의 비용: 전략 계획과 그 정책만 뺀 계획(나머지 "
                          "정책 유지)의 비용 차이 (정책 없음 대비 그 정책만 둔 단독 비용과는 크게 다를 수 있음)."),
    "brief.q.cost.overlap": ("The parts do not add up to the total: the limits overlap, and a tonne moved for one "
                             "often serves another.", "각 정책의 비용을 더해도 전체와 같지 않습니다: 한도들이 겹쳐 "
                             "한 정책 때문에 옮긴 물량이 다른 정책도 함께 충족하기 때문입니다."),
    "brief.q.cost.negative": ("A negative figure saves money: the plan without it costs more.",
                              "음수는 비용 절감을 뜻합니다: 그것을 뺀 계획이 더 비쌉니다."),
    "brief.standin": ("Added last, the {limit} costs nothing ({usd}, {sig}): in {n} of {of} mineral-years the "
                      "{measure} sits at the {limit} ({minerals}), but the {by} holds it there anyway. Without the {by} "
                      "alone the plan costs {alone} less; without both, {both} less: each limit does the other's "
                      "work.",
                      "{limit_topic} 마지막에 추가하면 비용이 없습니다({usd}, {sig}): {of}개 광물·연도 중 {n}개에서 {measure_subject} "
                      "{limit}에 닿아 있지만({minerals}), {by_subject} 어차피 그 수준을 지키기 때문입니다. {by}만 "
                      "빼면 계획 비용이 {alone} 줄고, 둘 다 빼면 {both} 줄어듭니다: 두 한도가 서로의 역할을 "
                      "대신합니다."),
    # Two limits each doing the other's work, in one sentence (brief.standin twice read the same thing twice).
    "brief.standin.mutual": ("Added last, the {a} and the {b} each cost nothing ({usd}, {sig}): in {a_n} of {a_of} "
                             "mineral-years the {a_measure} sits at the {a}, and in {b_n} of {b_of} the {b_measure} "
                             "at the {b} ({minerals}), but each cap holds the other's measure there anyway. Without "
                             "both, the plan costs {both} less: each limit does the other's work.",
                             "{a_with} {b_topic} 마지막에 추가하면 각각 비용이 없습니다({usd}, {sig}): {a_of}개 "
                             "광물·연도 중 {a_n}개에서 {a_measure_subject} {a}에, {b_of}개 중 {b_n}개에서 "
                             "{b_measure_subject} {b}에 닿아 있지만({minerals}), 각 상한이 어차피 서로의 지표를 그 "
                             "수준으로 지키기 때문입니다. 둘 다 빼면 계획 비용이 {both} 줄어듭니다: 두 한도가 서로의 "
                             "역할을 대신합니다."),
    "brief.standin.each": ("{usd} each", "각 {usd}"),
    # The measures of brief.standin inside its sentence ('the single-country share', not 'the Single-country share').
    "brief.standin.china_share": ("China share", "중국 의존도"),
    "brief.standin.top_country_share": ("single-country share", "특정국 의존도"),
    "brief.q.china": ("Who replaces China in {year}", "{year}년 중국 물량의 대체처"),
    # after a figure in tonnes ('217,724 t'): 'China-linked tonnes' said the unit twice
    "brief.q.china.unit": ("of China-linked supply replaced in {year}, all minerals, against no policy",
                           "{year}년 대체된 중국 연계 물량 (전체 광물, 정책 없음 대비)"),
    "brief.q.china.text": ("Per mineral, the sources that gain the tonnes China loses against the plan with no policy, "
                           "largest first (mining country \u2192 refining country); they add up to China's loss.",
                           "광물별로, 정책 없음 대비 중국이 잃는 물량을 가져가는 공급원(채굴국 → 정제국)을 큰 순서로 "
                           "보여 줍니다; 합계는 중국 감소량과 같습니다."),
    "brief.q.china.none": ("China's tonnes are the same as with no policy in {year}.",
                           "{year}년 중국 물량은 정책 없음과 같습니다."),
    "brief.target.own_caps": ("{n} with caps of their own", "자체 상한 적용 광물 {n}개"),
    "brief.target.weighted": ("{target}; {weighted} with each mineral's own",
                              "{target}; 광물별 한도 반영 시 {weighted}"),
    "brief.q.exposure": ("How exposed Korea is", "한국의 공급망 노출도"),
    "brief.q.exposure.text": ("The plan's measures now, in the target year and at the end, against the targets; "
                              "no policy beside.", "계획의 지표를 현재, 목표 연도, 마지막 해에 목표와 비교하고 정책 "
                              "없음을 함께 보여 줍니다."),
    "brief.q.stop": ("What if a supplier stops", "공급 차질이 생기면"),
    "brief.q.stop.unit": ("the costliest disruption ({event}) with the plan's stock and lines",
                          "가장 비싼 공급 차질({event}), 계획의 비축과 협정 물량 사용 시"),
    "brief.q.stop.text": ("Each event of the Disruptions sheet hits the plan as decided (contracts, stock and "
                          "agreement lines held); the same event hits the no-policy plan. What the strategy's stock, "
                          "lines and suppliers buy together is the difference. The events, their probabilities and "
                          "the tonnes they take are that sheet's assumptions.",
                          "Disruptions 시트의 각 사건을 확정된 계획(계약, 비축, 협정 물량 고정)에 적용합니다; 정책 없음 "
                          "계획에도 같은 사건을 적용합니다. 전략의 비축·협정·공급처 다변화가 함께 주는 가치는 그 차이입니다. "
                          "사건과 그 확률, 잃는 물량은 이 시트의 가정입니다."),
    "brief.q.stop.none": ("The workbook has no disruptions: add rows to its Disruptions sheet to test the plan.",
                          "워크북에 공급 차질 사건이 없습니다: 계획을 시험하려면 Disruptions 시트에 행을 추가하세요."),
    "brief.q.open": ("What is still open", "아직 열려 있는 결정"),
    # The count with its counter ('3개': Korean writes a counter on its number), then the rest of the phrase.
    "brief.q.open.figure": ("{open}", "{open}개"),
    "brief.q.open.unit": ("of {n} decision{n_s} have room within {slack} of the least cost",
                          "결정에 최소비용의 {slack} 이내에서 달리 정할 여지가 있음 (전체 {n}개 중)"),
    "brief.q.open.text": ("Forced, taken the same way by every plan within {slack} of the least cost ({budget}): "
                          "{forced} decision{forced_s}. The ones with the most room:",
                          "{forced}개 결정은 고정입니다: 최소비용의 {slack}({budget}) 이내 모든 계획이 같은 선택을 "
                          "합니다. 여지가 가장 큰 결정:"),
    "brief.q.open.text_none": ("No decision is forced: each can be taken another way within {slack} of the least "
                               "cost ({budget}). The ones with the most room:",
                               "고정된 결정은 없습니다: 모든 결정이 최소비용의 {slack}({budget}) 이내에서 달리 정해질 수 "
                               "있습니다. 여지가 가장 큰 결정:"),
    "brief.q.open.none": ("Not computed: run 'planner brief --alternatives' for the decisions that are forced and "
                          "those with room within 2% of the least cost.",
                          "계산하지 않음: 최소비용의 2% 이내에서 고정된 결정과 여지가 있는 결정을 보려면 'planner "
                          "brief --alternatives'를 실행하세요."),
    "brief.assumptions": ("Assumptions", "가정"),
    "brief.assume.usd": ("Every USD is USD of {price_year} prices, present value at the start of {first} at a {rate} "
                         "real discount rate, summed over {first}-{last}.",
                         "모든 금액은 {price_year}년 가격 기준 미 달러이며, 실질 할인율 {rate_to} {first}년 초 현재가치로 "
                         "환산해 {first}-{last} 기간을 합한 값입니다."),
    "brief.assume.foresight": ("Perfect foresight: each plan knows every year's prices, demand and limits in "
                               "advance; disruptions are not foreseen but tested on the plan as decided.",
                               "완전 예견: 각 계획은 모든 연도의 가격·수요·한도를 미리 압니다; 공급 차질은 예견하지 "
                               "않고 결정된 계획에 사후 시험합니다."),
    "brief.assume.no_policy": ("'No policy' is the same workbook with the Policy sheet blank; agreements are joined "
                               "there only where they pay.", "'정책 없음'은 Policy 시트를 비운 같은 워크북이며, 협정은 "
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
    "brief.costs.chart": ("What each policy adds when added last (USD M, present value)",
                          "정책별 마지막 추가 비용 (USD M, 현재가치)"),
    # Under it (brief_report.costs_chart): what a bar named not significant means, and the policies left out.
    "brief.costs.chart.gap": ("Not significant: smaller than the two plans' proven gaps, so the true figure may be "
                              "0.", "유의하지 않음: 두 계획의 증명된 최적성 차이보다 작아 실제 값이 0일 수 있음."),
    "brief.costs.chart.needed": ("Not on the chart: {policies}, which no plan meeting the other limits can do "
                                 "without, so there is no cost of adding it last.",
                                 "차트에 없음: {policies}. 이 정책 없이는 다른 한도를 모두 지키는 계획이 없어 마지막 "
                                 "추가 비용을 산정할 수 없음."),
    "brief.costs.parts": ("The cost and its parts, the plan against no policy", "비용 구성: 전략 계획 대 정책 없음"),
    "brief.sec.china": ("Who replaces China, year by year", "연도별 중국 물량의 대체처"),
    "brief.sec.exposure": ("Exposure per mineral", "광물별 노출도"),
    "brief.exposure.chart": ("China share of {basis}, tonne-weighted over minerals",
                             "중국 의존도 ({basis} 기준, 광물 간 물량 가중)"),
    "basis_word.imports": ("imports", "수입"),
    "basis_word.consumption": ("consumption", "소비"),
    "brief.stop.line": ("{event}: {plan} with the plan, {none} with no policy",
                        "{event}: 전략 계획 {plan}, 정책 없음 {none}"),
    "brief.sec.stop": ("Disruptions: each event at its costliest start year", "공급 차질: 사건별 가장 비싼 시작 연도"),
    "brief.stop.chart": ("Cost of each disruption (USD M, present value)", "공급 차질별 비용 (USD M, 현재가치)"),
    "brief.sec.open": ("Decisions within {slack} of the least cost", "최소비용 {slack} 이내의 결정 범위"),
    "brief.sec.definitions": ("Definitions", "정의"),
    "brief.footer": ("planner brief {version}; the workbook beside this page holds every table and chart.",
                     "planner brief {version}; 함께 저장된 워크북에 모든 표와 차트가 있습니다."),
    # ---- column headings of the brief's tables ---------------------------------------------------
    "col.policy": ("policy", "정책"),
    "col.added_last": ("added last (USD M)", "마지막 추가 비용 (USD M)"),
    "col.significance": ("significance", "유의성"),
    "col.cost_without": ("plan without it (USD M)", "해당 정책 제외 시 비용 (USD M)"),
    "col.adds": ("the policy adds (USD M)", "정책의 추가 비용 (USD M)"),
    "col.adds_share": ("share of the plan without it", "제외 시 비용 대비"),
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
    # Who replaces China year by year (brief): a change either way, as in a year the plan buys more from China.
    "col.china_change": ("China's change (t)", "중국 물량 변화 (t)"),
    # Who replaces China (brief workbook): tonnes mined or refined in China under each plan, not a share.
    "col.china_t": ("China-linked: {plan} (t)", "중국 연계 물량: {plan} (t)"),
    "col.source_id": ("id", "공급원 (ID)"),
    "col.others_change": ("the other sources' change, largest gain first", "다른 공급원의 변화 (증가 큰 순서)"),
    "col.unmet": ("unmet (t)", "미충족 (t)"),
    "col.source": ("source", "공급원"),
    "col.change": ("change (t)", "변화 (t)"),
    "col.change_own_unit": ("change (in the row's unit)", "변화 (각 행의 단위)"),
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
    "col.probability": ("probability (an assumption)", "확률 (가정)"),
    "col.decision": ("decision", "결정"),
    "col.unit": ("unit", "단위"),
    "col.least_cost": ("least-cost plan", "최소비용 계획"),
    "col.low": ("least", "최소"),
    "col.item": ("item", "항목"),
    "col.high": ("most", "최대"),
    "col.room": ("room", "여지"),
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
    # ---- a study stopped before it finished (Ctrl-C, SIGTERM, SIGHUP): its page and workbook open with it
    "sheet.stopped": ("Stopped", "중단됨"),
    "stopped.notice": ("This run was stopped ({signal}) before it finished: {done} of the {asked} {what} asked for "
                       "finished, and this report holds only those.",
                       "이 실행은 끝나기 전에 중단되었습니다({signal}). 요청한 {what} {asked}개 중 {done}개만 끝났고, "
                       "이 보고서는 그 결과만 담습니다."),
    "stopped.notice.open": ("This run was stopped ({signal}) before it finished: this report holds only the {done} "
                            "{what} that finished.",
                            "이 실행은 끝나기 전에 중단되었습니다({signal}). 이 보고서는 끝난 {what} {done}개만 담습니다."),
    "stopped.cases": ("cases", "사례"),
    "stopped.points": ("points", "점"),
    "stopped.minerals": ("minerals", "광물"),
    "stopped.plans": ("plans", "계획"),
    "stopped.coalition_plans": ("coalition plans", "연합 계획"),
    "stopped.samples": ("samples", "표본"),
    "decision.supplier": ("tonnes from {name} over the horizon", "{name} 구매량 (전 기간)"),
    "decision.recycling": ("modules built: {name}", "건설 모듈: {name}"),
    "decision.agreement": ("years in the agreement {name}", "협정 가입 연수: {name}"),
    "decision.stock": ("{name}: stock, mean days of demand", "{name} 비축 (평균 수요 일수)"),
}

# ---- results workbooks: each column's header (head.<key>; the English header is the column's id, a contract
# other tools read) and hover note (note.<key>), by column id or key ----------------------------------------
HEADS = {
    "year": "연도", "mineral": "광물", "country": "국가 (ISO)", "country_name": "국가", "name": "항목",
    "run_value": "값", "stage": "단계", "indicator": "지표", "indicator_name": "지표", "indicator_unit": "단위",
    "definition": "정의",
    "source": "출처", "supplier": "공급처 (ID)", "origin_country": "채굴국 (ISO)",
    "processing_country": "정제국 (ISO)", "tonnes": "물량 (t)", "price_usd_per_t": "단가 (USD/t)",
    "purchase_cost_usd": "구매액 (USD)", "contracted": "계약 유지", "source_id": "출처 (Sources ID)",
    "china_share": "중국 의존도", "china_share_mining": "중국 의존도 (채굴)",
    "china_share_refining": "중국 의존도 (정제)", "china_share_value": "중국 의존도 (금액 기준)",
    "china_cap": "중국 의존도 상한", "top_country": "최대 공급국", "top_country_share": "최대 공급국 비중",
    "single_country_cap": "특정국 의존도 상한", "top_mining_country": "최대 채굴국",
    "top_mining_country_share": "최대 채굴국 비중", "mining_country_cap": "채굴 단계 특정국 의존도 상한",
    "top_refining_country": "최대 정제국", "top_refining_country_share": "최대 정제국 비중",
    "refining_country_cap": "정제 단계 특정국 의존도 상한", "avg_risk": "평균 정치적 위험", "risk_cap": "정치적 위험 상한",
    "recycling_share": "재자원화 비중", "recycling_min": "재자원화 비중 하한", "stockpile_days": "비축일수",
    "stockpile_min": "최소 비축일수", "ira_share": "IRA 요건 충족 비중", "ira_min": "IRA 요건 충족 비중 하한",
    "usd_per_point": "{limit} 잠재가격 (USD/포인트)", "demand_t": "수요 (t)", "supply_t": "공급 (t)",
    "unmet_t": "미충족 (t)", "not_applicable": "적용되지 않는 한도", "reliance_basis": "의존도 기준",
    "option_id": "재자원화 옵션", "plant": "설비", "plant_name": "설비 이름",
    "modules_built": "착공 모듈 수",
    "modules_online": "가동 모듈 수", "capacity": "용량", "processed": "처리량", "recycled_t": "재자원화 (t)",
    "available_t": "회수 가능량 (t)", "recycling_capital_usd": "설비 투자비 (USD)",
    "recycling_operating_usd": "운영비 (USD)", "refinery_id": "국내 정제소", "capacity_t": "용량 (t)",
    "fed_t": "투입량 (t)", "refining_capital_usd": "설비 투자비 (USD)", "refining_operating_usd": "전환 비용 (USD)",
    "stock_t": "비축량 (t)", "stock_china_t": "중국 연계 비축량 (t)", "added_t": "비축 적립 (t)",
    "released_t": "비축 방출 (t)", "released_china_t": "중국 연계 방출 (t)", "agreement_volume_t": "협정 확보 물량 (t)",
    "cover_t": "비축 + 협정 물량 (t)", "stock_days": "비축일수 (협정 제외)", "stock_days_iea": "비축일수 (IEA 기준)",
    "agreement_id": "협정", "agreement_kind": "유형", "partner_countries": "상대국", "joined": "가입",
    "agreement_status": "상태",
    "line_t": "확보 물량 (t)", "emergency_volume_t": "비상 물량 한도 (t)", "fee_usd": "수수료 (USD)",
    "geopolrisk_world_hhi": "세계 생산 HHI", "purchases_t": "구매량 (t)", "imported_t": "수입량 (t)",
    "mined_t": "채굴량 (t)", "refined_t": "정제량 (t)", "political_risk": "정치적 위험", "alignment": "우호도",
    "risk_score": "위험 점수", "msp_member": "MSP 회원", "fta_with_korea": "한국과 FTA", "security_treaty": "안보 조약",
    "unga_agreement_share": "UN 총회 투표 일치율", "export_restrictions": "수출통제",
    "indicator_hhi": "집중도 (HHI)", "indicator_hhi_wgi": "위험 가중 집중도 (HHI_WGI)",
    "indicator_import_reliance": "수입 의존도", "indicator_eol_rir": "재자원화 투입률 (EoL-RIR)",
    "indicator_world_hhi_wgi": "세계 생산 위험 가중 집중도 (HHI_WGI)", "indicator_sr": "EU 공급위험 (SR)",
    "indicator_geopolrisk": "지정학적 공급위험 (GeoPolRisk)",
}
# The id a key's column goes by where the key is not the id (one id, two meanings in different sheets).
HEAD_IDS = {"country_name": "name", "run_value": "value", "indicator_name": "indicator", "indicator_unit": "unit",
            "purchase_cost_usd": "cost_usd",
            "recycling_capital_usd": "capital_usd", "recycling_operating_usd": "operating_usd",
            "refining_capital_usd": "capital_usd", "refining_operating_usd": "operating_usd",
            "agreement_kind": "kind", "agreement_status": "status", "usd_per_point": "{limit}_usd_per_point"}
CATALOGUE.update({f"head.{key}": (HEAD_IDS.get(key, key.removeprefix("indicator_")), ko)
                  for key, ko in HEADS.items()})
# A results column's English header on a page, by its key, where the workbook's header is an id: a workbook's
# English header is a contract other tools read, a page is read (see ``page_head``).  Each report adds its own.
PAGE_WORDS: dict[str, str] = {
    # the supply-risk indicators, as the plan page's indicator table heads them (its Definitions name them so)
    "indicator_hhi": "HHI", "indicator_hhi_wgi": "HHI_WGI", "indicator_import_reliance": "import reliance",
    "indicator_eol_rir": "EoL-RIR", "indicator_world_hhi_wgi": "world HHI_WGI", "indicator_sr": "EU supply risk (SR)",
    "indicator_geopolrisk": "GeoPolRisk",
}

# The compare workbook's indicators per mineral and year (``compare_report.INDICATORS``) in words, as the plan's
# reports name them: in Korean by the plan workbook's headers (a supply-risk indicator as its Indicators sheet and
# Definitions name it), in English by the plan page's words; a supply-risk indicator at the stage it is taken at.
CATALOGUE.update({f"compare.indicator.{name}": (en, HEADS[name]) for name, en in (
    ("china_share", "China share"), ("avg_risk", "average political risk"), ("recycling_share", "recycling share"),
    ("stockpile_days", "stockpile days"), ("unmet_t", "unmet (t)"))})
_AT_STAGE = {"higher": ("higher stage", "높은 단계"), "mining": CATALOGUE["word.mining"],
             "refining": CATALOGUE["word.refining"]}
CATALOGUE.update({f"compare.indicator.{name}": (f"{PAGE_WORDS[key]}, {_AT_STAGE[stage][0]}",
                                                f"{HEADS[key]}, {_AT_STAGE[stage][1]}") for name, key, stage in (
    ("supply_risk_sr", "indicator_sr", "higher"),
    ("hhi_mining", "indicator_hhi", "mining"),
    ("hhi_refining", "indicator_hhi", "refining"),
    ("import_reliance_refining", "indicator_import_reliance", "refining"),
    ("geopolrisk", "indicator_geopolrisk", "higher"))})

_SHADOW_EN = ("present-value USD the plan would cost more if this limit were tightened by one point (1 percentage "
              "point of share, 0.01 of risk score, or one stockpile day), with contracts, modules and memberships "
              "held at the plan's choice: the cost of tightening it a hundredth of a point, times 100; 0 = not "
              "binding; \u221e = it cannot be tightened with them held")
_SHADOW_KO = ("이 한도를 1포인트(비중 1퍼센트포인트, 위험 점수 0.01, 비축 1일) 강화할 때 늘어나는 계획 비용(현재가치 USD); 계약·설비·협정 "
              "가입은 계획의 선택에 고정: 한도를 0.01포인트 강화한 비용의 100배; 0 = 구속되지 않음; \u221e = 고정한 채로는 강화할 수 없음")
CATALOGUE.update({f"note.{key}": texts for key, texts in {
    "year": ("Planning year", "계획 연도"),
    "mineral": ("mineral_id (Minerals sheet)", "mineral_id (Minerals 시트)"),
    "country": ("ISO3 code", "ISO3 코드"),
    "country_name": ("Country name", "국가명"),
    "name": ("What was recorded (the .json's key)", "기록 항목 (.json의 키)"),
    "run_value": ("Its value", "값"),
    "stage": ("mining (the country each tonne is mined in) or refining (the country it is refined in)",
              "채굴(각 톤을 채굴한 국가) 또는 정제(정제한 국가)"),
    "indicator_name": ("Column name in the Indicators sheet", "Indicators 시트의 열 이름"),
    "indicator_unit": ("Unit or scale", "단위 또는 척도"),
    "definition": ("How it is computed", "계산 방법"),
    "source": ("Where the method comes from", "방법의 출처"),
    "supplier": ("supplier_id from the Suppliers sheet", "Suppliers 시트의 supplier_id"),
    "origin_country": ("ISO3 code of the country where it is mined", "채굴국 ISO3 코드"),
    "processing_country": ("ISO3 code of the country where it is refined", "정제국 ISO3 코드"),
    "tonnes": ("Tonnes bought that year (t)", "그해 구매량 (t)"),
    "price_usd_per_t": ("Price that year after escalation (USD/t)", "상승률을 반영한 그해 단가 (USD/t)"),
    "purchase_cost_usd": ("tonnes x price, in that year's USD (not discounted)", "물량 × 단가, 그해 USD (할인 전)"),
    "contracted": ("Whether the contract is active that year (fixed cost and minimum volume)",
                   "그해 계약 유지 여부 (고정비와 최소 물량 적용)"),
    "source_id": ("The Sources row of the input workbook that the option's figures (capacity, price, fixed cost) "
                  "cite, its source_id on the Suppliers sheet; that row says whether they are estimates",
                  "공급처 수치(용량, 단가, 고정비)의 출처: 입력 워크북 Suppliers 시트의 source_id (Sources 시트의 행; "
                  "추정치 여부는 그 행에 표시)"),
    "china_share": ("Share mined or refined in China, on the reliance basis (Settings reliance_basis): the "
                    "quantity the China cap limits", "중국에서 채굴 또는 정제된 비중(설정 reliance_basis 기준): 중국 의존도 "
                    "상한이 제한하는 값"),
    "china_share_mining": ("Share mined in China (the mining stage alone)", "중국에서 채굴된 비중 (채굴 단계만)"),
    "china_share_refining": ("Share refined in China (the refining stage alone)", "중국에서 정제된 비중 (정제 단계만)"),
    "china_share_value": ("China-linked share of the value of imports", "수입 금액 중 중국 연계 비중"),
    "china_cap": ("China cap from the Policy sheet (blank = not applied)", "Policy 시트의 중국 의존도 상한 (공란 = 미적용)"),
    "top_country": ("Supplier country with the largest share (by mining or refining; on the imports basis Korea is "
                    "no supplier country)", "비중이 가장 큰 공급국 (채굴 또는 정제 기준; 수입 기준에서는 한국 제외)"),
    "top_country_share": ("Its share, on the reliance basis", "그 비중 (의존도 기준)"),
    "single_country_cap": ("Single-country cap (blank = not applied)", "특정국 의존도 상한 (공란 = 미적용)"),
    "top_mining_country": ("Country where the largest share is mined", "가장 큰 비중을 채굴하는 국가"),
    "top_mining_country_share": ("Its share", "그 비중"),
    "mining_country_cap": ("Mining-country cap (blank = not applied)", "채굴 단계 특정국 의존도 상한 (공란 = 미적용)"),
    "top_refining_country": ("Country where the largest share is refined", "가장 큰 비중을 정제하는 국가"),
    "top_refining_country_share": ("Its share", "그 비중"),
    "refining_country_cap": ("Refining-country cap (blank = not applied)", "정제 단계 특정국 의존도 상한 (공란 = 미적용)"),
    "avg_risk": ("Volume-weighted risk of imports, 0-1 (on the consumption basis: of supply, recycled tonnes at the "
                 "home country's score): the quantity the risk cap limits",
                 "물량 가중 수입 위험 점수, 0-1 (소비 기준: 공급 전체, 재자원화 물량은 한국 점수): 정치적 위험 상한이 "
                 "제한하는 값"),
    "risk_cap": ("Political-risk cap (blank = not applied)", "정치적 위험 상한 (공란 = 미적용)"),
    "recycling_share": ("Tonnes recycled in Korea / demand", "국내 재자원화 물량 ÷ 수요"),
    "recycling_min": ("Recycling minimum (blank = not applied, or not applicable: see not_applicable)",
                      "재자원화 비중 하한 (공란 = 미적용 또는 적용 불가: not_applicable 참조)"),
    "stockpile_days": ("Stock plus agreement lines at the end of the year / demand x 365: the mandate's basis",
                       "연말 비축량 + 협정 확보 물량 ÷ 수요 × 365: 의무 비축 기준"),
    "stockpile_min": ("Stockpile minimum in days from the Policy sheet (blank = not applied)",
                      "Policy 시트의 최소 비축일수 (공란 = 미적용)"),
    "ira_share": ("IRA-compliant share of supply (battery minerals)", "IRA 요건 충족 공급 비중 (배터리 광물)"),
    "ira_min": ("IRA-compliant minimum (blank = not applied, or not applicable)",
                "IRA 요건 충족 비중 하한 (공란 = 미적용 또는 적용 불가)"),
    "usd_per_point": (f"{{limit}}: {_SHADOW_EN}", f"{{limit}}: {_SHADOW_KO}"),
    "demand_t": ("Demand of the year (t)", "그해 수요 (t)"),
    "supply_t": ("Imports plus recycling (t)", "수입 + 재자원화 (t)"),
    "unmet_t": ("Demand not delivered (t), at the shortage cost; only when the Settings allow it",
                "공급되지 못한 수요 (t), 부족 비용 부과; 설정에서 허용할 때만"),
    "not_applicable": ("Policy limits that cannot bind this mineral, whatever the Policy sheet says",
                       "Policy 시트와 관계없이 이 광물에 적용될 수 없는 한도"),
    "reliance_basis": ("What the shares are shares of (Settings reliance_basis): imports (purchases from abroad, as "
                       "Korea's target is written) or consumption (imports and recycling)",
                       "의존도의 분모 (설정 reliance_basis): imports(해외 구매, 한국 목표의 기준) 또는 consumption(수입과 "
                       "재자원화)"),
    "option_id": ("Recycling option (a stream plant's output: plant:mineral)",
                  "재자원화 옵션 (스트림 설비의 산출물: 설비:광물)"),
    "plant": ("Whose modules it runs on: itself, or the stream plant", "모듈이 속한 설비: 옵션 자체 또는 스트림 설비"),
    "plant_name": ("That plant as the reports name it: its stream and the minerals it recovers",
                   "보고서가 부르는 그 설비의 이름: 스트림과 회수하는 광물"),
    "modules_built": ("Modules whose construction starts", "착공하는 모듈 수"),
    "modules_online": ("Modules producing (existing + built at least lead-time years ago)",
                       "가동 중인 모듈 수 (기존 + 준비 기간 이전에 착공)"),
    "capacity": ("modules_online x module capacity: t recovered, or a plant's units processed",
                 "가동 모듈 × 모듈 용량: 회수 톤, 또는 설비의 처리 단위"),
    "processed": ("A stream plant's units processed", "스트림 설비의 처리 단위 수"),
    "recycled_t": ("Tonnes recycled in Korea", "국내 재자원화 물량 (t)"),
    "available_t": ("Most that could be recovered: the Feedstock sheet's contained t x yield, or the stream's "
                    "collected units x content x yield", "최대 회수 가능량: Feedstock 시트의 함유량 × 회수율, 또는 "
                    "스트림 수거량 × 함량 × 회수율"),
    "recycling_capital_usd": ("Capital annuity charged that year for the modules built in the horizon that run (not "
                              "discounted; a plant's on its first output's row)",
                              "계획 기간에 지어 가동 중인 모듈의 그해 투자비 연간 균등액 (할인 전; 설비는 첫 산출물 행에)"),
    "recycling_operating_usd": ("Operating cost that year (not discounted; a plant's on its first output's row)",
                                "그해 운영비 (할인 전; 설비는 첫 산출물 행에)"),
    "refinery_id": ("Korean refinery (Refining sheet)", "국내 정제소 (Refining 시트)"),
    "capacity_t": ("modules_online x module capacity (t refined)", "가동 모듈 × 모듈 용량 (정제 톤)"),
    "fed_t": ("Tonnes its feed routes delivered", "원료 경로로 들어온 물량 (t)"),
    "refining_capital_usd": ("Capital annuity charged that year (not discounted)", "그해 투자비 연간 균등액 (할인 전)"),
    "refining_operating_usd": ("Conversion cost that year (not discounted)", "그해 전환 비용 (할인 전)"),
    "stock_t": ("Public stock at the end of the year (t)", "연말 공공 비축량 (t)"),
    "stock_china_t": ("Of which China-linked (mined or refined in China): the China pool (t)",
                      "그중 중국 연계분(중국에서 채굴 또는 정제) (t)"),
    "added_t": ("Bought into the stockpile (t)", "비축으로 매입한 물량 (t)"),
    "released_t": ("Released to serve demand (t)", "수요 충당을 위해 방출한 물량 (t)"),
    "released_china_t": ("Of which from the China pool; counted toward the China cap (t)",
                         "그중 중국 연계분; 중국 의존도에 포함 (t)"),
    "agreement_volume_t": ("Agreement lines held (t)", "협정으로 확보한 물량 (t)"),
    "cover_t": ("Stock + agreement lines (t)", "비축량 + 협정 확보 물량 (t)"),
    "stock_days": ("The stock alone / demand x 365: without the agreement lines", "비축량만 ÷ 수요 × 365 (협정 물량 제외)"),
    "stock_days_iea": ("The stock alone / the year before's net imports x 365: the IEA's basis (the first year: its "
                       "own imports)", "비축량만 ÷ 전년도 순수입 × 365: IEA 기준 (첫해는 그해 수입)"),
    "agreement_id": ("Agreement (Agreements sheet)", "협정 (Agreements 시트)"),
    "agreement_kind": ("Swap line or joint stockpile", "광물 스와프 또는 공동비축"),
    "agreement_status": ("signed (Agreements signed = yes) or hypothetical",
                         "체결 (Agreements 시트 signed = yes) 또는 가정"),
    "partner_countries": ("ISO3 codes of the partners", "상대국 ISO3 코드"),
    "joined": ("Member that year", "그해 가입 여부"),
    "line_t": ("Line held: swap tonnes or joint-stockpile share the plan chose, up to the emergency volume; counted "
               "toward stockpile cover and callable in a disruption (t)",
               "확보 물량: 계획이 고른 스와프 톤 또는 공동비축 지분(비상 물량 한도 이내); 비축일수에 포함되고 공급 차질 시 "
               "요청 가능 (t)"),
    "emergency_volume_t": ("The largest line the agreement allows (Agreements sheet) (t)",
                           "협정이 허용하는 최대 물량 (Agreements 시트) (t)"),
    "fee_usd": ("Fees paid that year: membership plus per tonne of line (not discounted)",
                "그해 수수료: 가입비 + 확보 톤당 수수료 (할인 전)"),
    "geopolrisk_world_hhi": ("HHI of world output at the stage (WorldSupply), the GeoPolRisk factor",
                             "해당 단계 세계 생산의 HHI (WorldSupply), GeoPolRisk의 인자"),
    "purchases_t": ("Tonnes bought (primary supply)", "구매량 (1차 공급, t)"),
    "imported_t": ("Of which from a foreign country at this stage", "그중 이 단계에서 외국산"),
    "mined_t": ("Tonnes bought that were mined there", "그 나라에서 채굴된 구매량 (t)"),
    "refined_t": ("Tonnes bought that were refined there", "그 나라에서 정제된 구매량 (t)"),
    "political_risk": ("1 - WGI political-stability percentile / 100 (Countries sheet)",
                       "1 - WGI 정치적 안정성 백분위 / 100 (Countries 시트)"),
    "alignment": ("Alignment score with Korea, 0-1 (Countries inputs, Settings weights)",
                  "한국과의 우호도 점수, 0-1 (Countries 입력, 설정 가중치)"),
    "risk_score": ("The score the risk cap and the indicators use (Settings risk_basis)",
                   "정치적 위험 상한과 지표가 쓰는 점수 (설정 risk_basis)"),
    "msp_member": ("Minerals Security Partnership / FORGE member", "핵심광물안보파트너십(MSP)/FORGE 회원"),
    "fta_with_korea": ("FTA with Korea in force", "한국과 FTA 발효"),
    "security_treaty": ("Mutual defence treaty with Korea or the US", "한국 또는 미국과 상호방위조약"),
    "unga_agreement_share": ("UN General Assembly votes agreeing with Korea's", "UN 총회 투표의 한국과 일치 비율"),
    "export_restrictions": ("Bans, quotas or licences on critical-mineral exports", "핵심광물 수출 금지·쿼터·허가제"),
}.items()})

# The supply-risk indicators (planner.indicators.DEFINITIONS): definition and source.
CATALOGUE.update({f"indicator.{key}": texts for key, texts in {
    "hhi.def": ("Herfindahl-Hirschman index of Korea's purchases by country at the stage: sum over countries of "
                "(tonnes from c / all tonnes bought)^2. 1 = one country; 0.25 = four equal countries.",
                "단계별 국가별 한국 구매의 허핀달-허쉬만 지수: 국가별 (c국 물량 / 전체 구매량)^2의 합. 1 = 한 나라, "
                "0.25 = 네 나라 균등."),
    "hhi.source": ("US DoJ/FTC concentration index; EU CRM methodology 2017",
                   "미국 법무부·FTC 집중도 지수; EU 핵심원자재 방법론 2017"),
    "hhi_wgi.def": ("The same, each country's squared share weighted by 10 x its risk score (Settings risk_basis: "
                    "political = 1 - WGI political-stability percentile): the EU's HHI_WGI for Korea's own sourcing.",
                    "위와 같되 각국 비중의 제곱에 10 × 위험 점수를 가중 (설정 risk_basis: political = 1 - WGI 정치적 "
                    "안정성 백분위): 한국 조달에 적용한 EU의 HHI_WGI."),
    "hhi_wgi.source": ("EU CRM methodology 2017 (doi:10.2760/73303)", "EU 핵심원자재 방법론 2017 (doi:10.2760/73303)"),
    "import_reliance.def": ("Tonnes bought whose country at the stage is not Korea / all tonnes bought (no exports "
                            "are modelled, so net = gross imports).",
                            "해당 단계 국가가 한국이 아닌 구매량 ÷ 전체 구매량 (수출은 모형에 없어 순수입 = 총수입)."),
    "import_reliance.source": ("EU CRM methodology 2017 (IR); USGS net import reliance",
                               "EU 핵심원자재 방법론 2017 (IR); USGS 순수입 의존도"),
    "eol_rir.def": ("End-of-life recycling input rate: tonnes recycled in Korea / (tonnes bought + recycled).",
                    "폐기물 재자원화 투입률: 국내 재자원화 물량 ÷ (구매량 + 재자원화 물량)."),
    "eol_rir.source": ("EU CRM methodology 2017 (EoL-RIR)", "EU 핵심원자재 방법론 2017 (EoL-RIR)"),
    "world_hhi_wgi.def": ("HHI_WGI of world output at the stage (WorldSupply sheet shares; unlisted countries count "
                          "as many small producers).", "해당 단계 세계 생산의 HHI_WGI (WorldSupply 시트 비중; 없는 국가는 "
                          "다수의 소규모 생산국으로 계산)."),
    "world_hhi_wgi.source": ("EU CRM methodology 2017 (global supply term)", "EU 핵심원자재 방법론 2017 (세계 공급 항)"),
    "sr.def": ("EU supply risk for Korea: [world HHI_WGI x IR/2 + Korea's HHI_WGI x (1 - IR/2)] x (1 - EoL-RIR) x "
               "SI(SR) (Minerals substitution_index); the EU flags SR >= 1. The mineral's SR is the higher of its two "
               "stages, as in the EU method.",
               "한국의 EU 공급위험: [세계 HHI_WGI × IR/2 + 한국 HHI_WGI × (1 - IR/2)] × (1 - EoL-RIR) × SI(SR) "
               "(Minerals substitution_index); EU는 SR 1 이상을 위험으로 봄. 광물의 SR은 EU 방법대로 두 단계 중 높은 값."),
    "sr.source": ("European Commission (2017), Methodology for establishing the EU list of critical raw materials",
                  "유럽연합 집행위원회 (2017), EU 핵심원자재 목록 선정 방법론"),
    "geopolrisk.def": ("GeoPolRisk-style import risk: HHI of world output x sum over foreign countries of (risk score "
                       "x tonnes bought from c) / (tonnes bought + recycled).",
                       "GeoPolRisk 방식 수입 위험: 세계 생산 HHI × 외국별 (위험 점수 × c국 구매량)의 합 ÷ (구매량 + "
                       "재자원화 물량)."),
    "geopolrisk.source": ("Gemechu et al. (2016); geopolrisk-py documentation", "Gemechu 외 (2016); geopolrisk-py 문서"),
}.items()})

# An indicator column's note: its definition and source.
for _key in ("hhi", "hhi_wgi", "import_reliance", "eol_rir", "world_hhi_wgi", "sr", "geopolrisk"):
    CATALOGUE[f"note.indicator_{_key}"] = tuple(
        f"{d} {word}: {src}." for d, src, word in zip(CATALOGUE[f"indicator.{_key}.def"],
                                                      CATALOGUE[f"indicator.{_key}.source"], ("Source", "출처")))

CATALOGUE.update({
    # ---- sheets of the results workbooks (sheet_name: the English name, lower case, _ for spaces) ----------
    "sheet.summary": ("Summary", "요약"),
    "sheet.supply": ("Supply", "공급"),
    "sheet.policy": ("Policy", "정책 지표"),
    "sheet.recycling": ("Recycling", "재자원화"),
    "sheet.refining": ("Refining", "국내 정제"),
    "sheet.stockpile": ("Stockpile", "비축"),
    "sheet.agreements": ("Agreements", "협정"),
    "sheet.indicators": ("Indicators", "공급위험 지표"),
    "sheet.partners": ("Partners", "교역국"),
    "sheet.chartdata": ("ChartData", "차트 데이터"),
    "sheet.charts": ("Charts", "차트"),
    "sheet.disruption_charts": ("Disruption charts", "공급 차질 차트"),
    # ---- words shared by the reports ------------------------------------------------------------------
    "word.yes": ("yes", "예"),
    "word.no": ("no", "아니오"),
    "word.minimum": ("minimum", "하한"),
    "word.minimum_days": ("minimum (days)", "하한 (일)"),
    "word.cap_weighted": ("cap (each mineral's, weighted the same way)", "상한 (광물별 상한, 같은 가중)"),
    "word.minimum_weighted": ("minimum (each mineral's, weighted the same way)", "하한 (광물별 하한, 같은 가중)"),
    "word.in_short": ("In short", "요약"),
    "agreement.swap": ("swap", "광물 스와프"),
    "agreement.joint_stockpile": ("joint stockpile", "공동비축"),
    "agreement.signed": ("signed", "체결"),
    "agreement.hypothetical": ("hypothetical", "가정"),
    # An agreement, a recycling plant or a refinery as a reader names it (labels.agreement_name, plant_name).
    "agreement.name": ("{partners} {mineral} {kind}", "{partners} {mineral} {kind}"),
    "plant.stream": ("{stream} recycling: {minerals}", "{stream} 재자원화: {minerals}"),
    "plant.minerals": ("{minerals} recycling", "{minerals} 재자원화 설비"),
    "plant.refinery": ("{mineral} refinery in Korea", "국내 {mineral} 정제 설비"),
    "word.and": (" and ", "·"),
    "applies.recycling_min_share": ("minerals with a recycling option", "재자원화 옵션이 있는 광물"),
    "applies.ira_min_share": ("battery minerals", "배터리 광물"),
    "tie.msp": ("MSP", "MSP"),
    "tie.fta": ("FTA", "FTA"),
    "tie.treaty": ("treaty", "안보 조약"),
    "tie.export_limits": ("export limits", "수출통제"),
    "col.figure": ("figure", "항목"),
    "col.usd_m_pv": ("USD M (present value)", "USD M (현재가치)"),
    "col.demand_t": ("demand (t)", "수요 (t)"),
    "col.supply_t": ("supply (t)", "공급 (t)"),
    "col.binding_count": ("binding limits (mineral-years)", "구속 한도 수 (광물·연도)"),
    "col.agreement": ("agreement", "협정"),
    "col.alignment": ("alignment", "우호도"),
    "col.avg_risk": ("average risk {year}", "평균 위험 {year}"),
    "col.emergency_volume": ("emergency volume (t)", "비상 물량 한도 (t)"),
    "col.fee": ("fee (USD/yr)", "연회비 (USD/년)"),
    "col.highest_price": ("highest USD per point", "최고 잠재가격 (USD/포인트)"),
    "col.import_reliance": ("import reliance {year}", "수입 의존도 {year}"),
    "col.in_year": ("in", "해당 연도"),
    "col.indicator": ("indicator", "지표"),
    "col.kind": ("kind", "유형"),
    "col.largest_line": ("largest line held (t)", "최대 확보 물량 (t)"),
    "col.limit": ("limit", "한도"),
    "col.member_in": ("member in", "가입 연도"),
    "col.partners": ("partners", "상대국"),
    "col.plant": ("plant or option", "설비 또는 옵션"),
    "col.political_risk": ("political risk", "정치적 위험"),
    "col.price_sum": ("sum over years (USD)", "연도 합계 (USD)"),
    "col.stage": ("stage", "단계"),
    "col.t_all_years": ("t, all years", "t, 전 기간"),
    "col.ties": ("ties with Korea", "한국과의 관계"),
    "col.unga": ("UN votes with Korea", "UN 총회 투표 일치율"),
    "col.years_binding": ("years it binds", "구속 연도"),
    # ---- the plan: planner solve -------------------------------------------------------------------
    "plan.title": ("Sourcing plan: {workbook}", "조달 계획: {workbook}"),
    "plan.subtitle": ("{workbook}, decisions {first}-{last}, {currency} of {price_year}, present value at the start "
                      "of {first}", "{workbook}, 의사결정 기간 {first}-{last}, {price_year}년 가격 {currency}, {first}년 "
                      "초 현재가치"),
    "plan.page_subtitle": ("Decisions {first}-{last}, {currency} of {price_year}, present value at the start of "
                           "{first}; input SHA-256 {sha}", "의사결정 기간 {first}-{last}, {price_year}년 가격 {currency}, "
                           "{first}년 초 현재가치; 입력 SHA-256 {sha}"),
    "plan.fact.status": ("Status", "상태"),
    "plan.fact.cost": ("Total cost, present value (USD M)", "총비용, 현재가치 (USD M)"),
    "plan.fact.bound": ("Best bound: no plan costs less (USD M)", "최선 하한: 이보다 싼 계획은 없음 (USD M)"),
    "plan.title_hedged": ("Hedged sourcing plan: {workbook}", "헤지 조달 계획: {workbook}"),
    "plan.fact.objective_hedged": ("Hedged objective: the cost above plus the expected disruption cost (and CVaR, "
                                   "if weighted) (USD M)", "헤지 목적함수: 위 비용 + 기대 공급 차질 비용 (가중 시 CVaR "
                                   "포함) (USD M)"),
    "plan.fact.bound_hedged": ("Best bound on the hedged objective: no plan does better (USD M)",
                               "헤지 목적함수의 최선 하한: 이보다 나은 계획은 없음 (USD M)"),
    "plan.fact.gap": ("Proven gap", "증명된 최적성 차이"),
    "plan.fact.solve": ("Solve time (s)", "풀이 시간 (초)"),
    "plan.fact.verified": ("Verified", "검증"),
    "plan.verified": ("yes: every constraint rechecked from the input", "예: 모든 제약을 입력 데이터로 재확인"),
    "plan.summary.note": ("Shares over all minerals are tonne-weighted (China share on {basis}), stockpile days "
                          "demand-weighted; per mineral in the Policy sheet. Binding limits count the mineral-years "
                          "whose limit has a positive shadow price.",
                          "전체 광물의 비중은 물량 가중({basis} 기준 중국 의존도), 비축일수는 수요 가중; 광물별 값은 정책 지표 "
                          "시트에 있음. 구속 한도 수는 잠재가격이 양수인 광물·연도의 수."),
    "plan.summary.no_prices": ("This plan has no shadow prices (a hedged plan's are not computed): its binding "
                               "limits are left blank, not counted as 0.",
                               "이 계획은 잠재가격이 없으므로(헤지 계획은 계산하지 않음) 구속 한도 수를 0이 아닌 빈칸으로 둠."),
    "plan.not_applicable": ("{limit} (applies only to {whom})", "{limit} ({whom}에만 적용)"),
    "plan.not_joined": ("not joined", "미가입"),
    "plan.story.cost": ("The plan costs {usd} in present value over {first}-{last} (USD of {price_year}); HiGHS proved "
                        "it within {gap} of the least possible cost, and every figure below is recomputed from the "
                        "workbook by an independent check.",
                        "이 계획의 비용은 {first}-{last} 기간 현재가치 {usd}({price_year}년 가격 USD)입니다. HiGHS가 최소 "
                        "가능 비용과의 차이를 {gap} 이내로 증명했고, 아래 모든 수치는 독립 검증으로 워크북에서 다시 "
                        "계산했습니다."),
    "plan.story.china": ("China's share of {basis}, tonne-weighted over all minerals: {now} in {first}, {then} in "
                         "{target}, {end} in {last}. The strategy's cap in {target} is {cap}; the minerals' own caps, "
                         "weighted the same way, allow {bound}.",
                         "전체 광물의 {basis} 기준 중국 의존도(물량 가중): {first}년 {now}, {target}년 {then}, {last}년 "
                         "{end}. {target}년 전략 상한은 {cap}이고, 광물별 상한을 같은 가중으로 합하면 {bound}까지 "
                         "허용됩니다."),
    # No count: '1 minerals stay above' wanted its verb changed too; the list says how many.
    "plan.story.china_over": ("Above {cap} in {year}, each as its own Policy row allows: {minerals}.",
                              "{year}년에 다음 광물은 자체 정책 행에 따라 {cap_object} 넘습니다: {minerals}."),
    "plan.story.recycling": ("Recycling in Korea meets {share} of demand in {year} ({t}; the minerals' minimums, "
                             "weighted the same way: {minimum}); {modules} recycling modules are built over {first}-{last}.",
                             "{year}년 국내 재자원화가 수요의 {share_object} 충당합니다({t}; 광물별 하한의 같은 가중 합: "
                             "{minimum}). {first}-{last} 기간 재자원화 모듈 {modules}기를 새로 짓습니다."),
    "plan.story.stock": ("The stock and agreement lines cover {days} of demand in {year} (the minerals' minimums, "
                         "weighted the same way: {minimum}) and {end}, demand-weighted over minerals.",
                         "비축과 협정 물량은 {year}년 수요의 {days}(광물별 하한의 같은 가중 합: {minimum}), "
                         "{end_object} 충당합니다(광물 간 수요 가중)."),
    "plan.story.stock.end": ("{days} in {last} (minimums: {minimum})", "{last}년 {days}(하한: {minimum})"),
    "plan.story.stock.end_at_minimum": ("{days} in {last}, just the minimum", "{last}년 {days}(하한과 같음)"),
    "plan.story.binding": ("The limits that bind (each with a shadow price in the table below): {parts}.",
                           "구속되는 한도 (잠재가격은 아래 표): {parts}."),
    "plan.story.binds": ("the {limit} for {n} mineral{n_s} ({minerals})", "{limit}: {n}개 광물 ({minerals})"),
    "plan.story.none_binds": ("No policy limit binds: the least-cost plan meets every limit on its own.",
                              "구속되는 정책 한도가 없습니다: 최소비용 계획이 스스로 모든 한도를 지킵니다."),
    "plan.story.risk": ("Highest EU supply risk for Korea's sourcing in {year}: {minerals} (the EU flags 1 or more).",
                        "{year}년 한국 조달의 EU 공급위험 지수가 가장 높은 광물: {minerals} (EU는 1 이상을 위험으로 봄)."),
    "plan.story.unmet": ("Demand left unmet over the horizon: {t}, at the shortage cost.",
                         "계획 기간의 미충족 수요: {t} (부족 비용 부과)."),
    "plan.sec.cost": ("Cost and its parts", "비용과 구성"),
    "plan.sec.binding": ("Binding limits and their shadow prices", "구속 한도와 잠재가격"),
    "plan.sec.china": ("China's share against the cap", "중국 의존도와 상한"),
    "plan.sec.recycling": ("Recycling, year by year", "연도별 재자원화"),
    "plan.sec.stock": ("The stockpile, year by year", "연도별 비축"),
    "plan.sec.risk": ("Supply-risk indicators", "공급위험 지표"),
    "plan.sec.mix": ("Supply per mineral: by mining country and by refining country", "광물별 공급: 채굴국별과 정제국별"),
    "plan.sec.partners": ("Partners: alignment and political risk beside the tonnes bought",
                          "교역국: 구매 물량과 우호도·정치적 위험"),
    "plan.sec.other": ("The other limits in {year}, and the agreements", "{year}년 기타 한도와 협정"),
    "plan.shadow.note": ("A shadow price is the present-value USD the plan would cost more if the limit were one point "
                         "tighter (a percentage point, 0.01 of risk score, or a day of cover), with contracts and "
                         "modules held: the cost of tightening it a hundredth of a point, times 100. \u221e: the limit "
                         "cannot be tightened without another contract or module.",
                         "잠재가격은 한도를 1포인트(비중 1퍼센트포인트, 위험 점수 0.01, 비축 1일) 강화할 때 늘어나는 "
                         "계획 비용(현재가치 USD)이며, 계약과 설비는 고정합니다 (한도를 0.01포인트 강화한 비용의 100배). "
                         "\u221e: 계약이나 설비를 더하지 않고는 한도를 강화할 수 없음."),
    "plan.chart.china": ("China share of {basis}, tonne-weighted over minerals, against the cap",
                         "중국 의존도 ({basis} 기준, 광물 간 물량 가중)와 상한"),
    "plan.china.note": ("{definition}. Per mineral below, with the mineral's cap in the first year, in the year it is "
                        "tightest if it loosens again, and in the last year.",
                        "{definition}. 아래는 광물별 값과 광물별 상한 (첫해, 다시 완화되는 경우 가장 엄격한 해, 마지막 해)."),
    "plan.limit_path.china_cap_share": ("cap", "상한"),
    "plan.limit_path.recycling_min_share": ("minimum", "하한"),
    "plan.limit_path.stockpile_min_days": ("minimum (days)", "하한 (일)"),
    "plan.chart.recycled": ("Recycled in Korea per year, by mineral (t)", "연도별 국내 재자원화 물량, 광물별 (t)"),
    "plan.chart.recycling_share": ("Recycling share of demand, tonne-weighted, against the minimum",
                                   "재자원화 비중 (물량 가중)과 하한"),
    "plan.recycling.modules": ("Recycling modules online per plant or option", "설비·옵션별 가동 재자원화 모듈"),
    "plan.recycling.none": ("The plan recycles nothing.", "이 계획에는 재자원화가 없습니다."),
    "plan.chart.stock_days": ("Stockpile days of demand, demand-weighted, against the minimum",
                              "비축일수 (수요 가중)와 하한"),
    "plan.chart.stock_moves": ("Stock added and released per year, all minerals (t)",
                               "연도별 비축 적립과 방출, 전체 광물 (t)"),
    "plan.stock.added": ("added", "적립"),
    "plan.stock.released": ("released", "방출"),
    "plan.stock.note": ("Days of demand held in stock and agreement lines at the end of each year, per mineral, with "
                        "the mineral's minimum in the first year, in the year it is highest if it falls again, and "
                        "in the last year.",
                        "광물별 연말 비축과 협정 물량이 충당하는 수요 일수와, 광물별 하한 (첫해, 다시 낮아지는 경우 가장 높은 "
                        "해, 마지막 해)."),
    "plan.chart.mix_mining": ("{mineral}: supply by mining country (t)", "{mineral}: 채굴국별 공급 (t)"),
    "plan.chart.mix_refining": ("{mineral}: supply by refining country (t)", "{mineral}: 정제국별 공급 (t)"),
    "plan.mix.note": ("Each tonne counts once in each chart: on the left for the country that mined it, on the right "
                      "for the country that refined it; recycling in Korea and the stock's net release beside.",
                      "각 톤은 차트마다 한 번만 셉니다: 왼쪽은 채굴한 나라, 오른쪽은 정제한 나라 기준이며, 국내 재자원화와 "
                      "비축 순방출을 함께 표시합니다."),
    "plan.chart.sr": ("EU supply risk for Korea's sourcing per mineral (the higher stage)",
                      "광물별 한국 조달의 EU 공급위험 지수 (높은 단계)"),
    "plan.chart.cost_by_mineral": ("Cost by mineral (USD M, present value)", "광물별 비용 (USD M, 현재가치)"),
    "plan.chart.purchases": ("Purchases by mining country, all minerals (USD M, undiscounted)",
                             "채굴국별 구매액, 전체 광물 (USD M, 할인 전)"),
    "plan.partners.note": ("A tonne mined in one country and refined in another counts for both. Alignment: 1 = fully "
                           "aligned with Korea, from the inputs MSP/FORGE membership, an FTA with Korea, a security "
                           "treaty with Korea or the US, UN voting agreement and no export limits (Settings alignment "
                           "weights). The risk cap and the indicators use {basis}.",
                           "한 나라에서 채굴해 다른 나라에서 정제한 톤은 두 나라 모두에 셉니다. 우호도: 1 = 한국과 완전히 "
                           "우호적; MSP/FORGE 회원, 한국과 FTA, 한국 또는 미국과 안보 조약, UN 투표 일치율, 수출통제 없음에서 "
                           "계산 (설정의 우호도 가중치). 정치적 위험 상한과 지표는 {basis_object} 씁니다."),
    "plan.risk_basis.political": ("political risk (Settings risk_basis political)",
                                  "정치적 위험 (설정 risk_basis political)"),
    "plan.risk_basis.alignment": ("misalignment, 1 - alignment (Settings risk_basis alignment)",
                                  "비우호도, 1 - 우호도 (설정 risk_basis alignment)"),
    "plan.risk_basis.both": ("the mean of political risk and misalignment (Settings risk_basis both)",
                             "정치적 위험과 비우호도의 평균 (설정 risk_basis both)"),
})


# ---- compare: column headers and notes of its workbook ------------------------------------------------
HEADS_COMPARE = {
    "case": "사례", "case_status": "상태", "total_cost_usd": "총비용 (USD)", "delta_cost_usd": "기준 대비 변화 (USD)",
    "delta_cost_pct": "기준 대비 변화율", "delta_part_usd": "{part} 변화 (USD)", "china_value_share": "중국 의존도 (금액, 전 기간)",
    "china_share_year": "중국 의존도 {year}", "recycling_share_year": "재자원화 비중 {year}",
    "stockpile_days_year": "비축일수 {year}", "mean_avg_risk_year": "평균 정치적 위험 {year}",
    "mean_supply_risk_year": "EU 공급위험 평균 {year}", "unmet_t_all": "미충족 합계 (t)", "proven_gap": "최적성 차이",
    "proven_gap_usd": "증명된 최적성 차이 (USD)", "case_solve_s": "풀이 시간 (초)", "what_changed": "요약",
    "compare_indicator": "지표", "compare_indicator_id": "지표 ID", "base_value": "기준", "case_value": "{case}",
    "case_delta": "{case} 변화", "story_case": "사례", "story_kind": "유형", "story_item": "항목 (ID)",
    "story_label": "이름", "base_t": "기준 (t)",
    "scenario_t": "사례 (t)", "change_t": "변화 (t)", "story_political_risk": "정치적 위험",
    "story_alignment": "우호도", "mineral_touched": "시나리오가 바꾼 광물", "input_sheet": "시트", "input_column": "열",
    "input_row": "행", "input_years": "연도", "input_cell": "기준 셀", "input_old": "기준 값", "input_new": "새 값",
    "input_set_by": "바꾼 시나리오 셀", "diagnosis_cell": "셀", "diagnosis_limit": "한도", "diagnosis_country": "국가",
    "diagnosis_value": "현재 값", "needed": "필요 값", "diagnosis_unit": "단위",
    "least_cost_if_calm_usd": "최소비용 계획: 평시 (USD)", "least_cost_expected_usd": "최소비용 계획: 기대비용 (USD)",
    "least_cost_cvar_usd": "최소비용 계획: 공급 차질 비용 CVaR (USD)", "hedged_if_calm_usd": "헤지 계획: 평시 (USD)",
    "compare_hedged_expected_usd": "헤지 계획: 기대비용 (USD)", "hedged_cvar_usd": "헤지 계획: 공급 차질 비용 CVaR (USD)",
    "insurance_premium_usd": "보험료 (USD)", "expected_saving_usd": "기대 절감액 (USD)",
    "compare_objective_usd": "헤지 목적값 (USD)", "hedged_objective_low_usd": "헤지 목적값 증명된 하한 (USD)",
    "delta_objective_usd": "기준 대비 헤지 목적값 변화 (USD)", "delta_objective_low_usd": "변화의 증명된 하한 (USD)",
    "delta_objective_high_usd": "변화의 증명된 상한 (USD)", "delta_objective_significant": "유의함",
    "delta_objective_pct": "기준 대비 헤지 목적값 변화율", "cost_if_calm_usd": "평시 비용 (USD)",
    "delta_cost_if_calm_usd": "기준 대비 평시 비용 변화 (USD)", "delta_part_calm_usd": "{part} 변화, 평시 (USD)",
    "hedged_gap": "증명된 최적성 차이",
    "price_policy": "정책 (ID)", "price_policy_name": "정책", "price_alone_usd": "단독 가격 (USD)", "price_last_usd": "마지막 추가 가격 (USD)",
    "price_low_usd": "증명된 하한 (USD)", "price_high_usd": "증명된 상한 (USD)", "price_significant": "유의함",
    "price_share_of_strategy": "전략 가격 대비", "price_strategy_mineral_usd": "전략 (USD)",
    "price_alone_mineral_usd": "{limit} 단독 (USD)", "price_last_mineral_usd": "{limit} 마지막 추가 (USD)",
    "china_share_no_policy": "중국 의존도 {year} 정책 없음", "china_share_base": "중국 의존도 {year} 기준",
}
HEAD_IDS.update({
    "case_status": "status", "delta_part_usd": "delta_{part}_usd", "china_share_year": "china_share_{year}",
    "recycling_share_year": "recycling_share_{year}", "stockpile_days_year": "stockpile_days_{year}",
    "mean_avg_risk_year": "mean_avg_risk_{year}", "mean_supply_risk_year": "mean_supply_risk_{year}",
    "unmet_t_all": "unmet_t", "proven_gap": "gap", "case_solve_s": "solve_s", "compare_indicator": "indicator",
    "compare_indicator_id": "indicator_id",
    "base_value": "base", "case_value": "{case}", "case_delta": "delta {case}", "story_case": "scenario",
    "story_kind": "kind", "story_item": "item", "story_label": "label", "story_political_risk": "political_risk",
    "story_alignment": "alignment", "input_sheet": "sheet", "input_column": "column", "input_row": "row",
    "input_years": "years", "input_cell": "cell", "input_old": "old", "input_new": "new", "input_set_by": "set_by",
    "diagnosis_cell": "cell", "diagnosis_limit": "limit", "diagnosis_country": "country", "diagnosis_value": "value",
    "diagnosis_unit": "unit", "compare_hedged_expected_usd": "hedged_expected_usd",
    "compare_objective_usd": "hedged_objective_usd", "delta_part_calm_usd": "delta_{part}_usd", "hedged_gap": "gap",
    "price_policy": "policy", "price_policy_name": "name",
    "price_alone_usd": "alone_usd", "price_last_usd": "last_usd", "price_low_usd": "{kind}_low_usd",
    "price_high_usd": "{kind}_high_usd", "price_significant": "{kind}_significant",
    "price_share_of_strategy": "{kind}_share_of_strategy", "price_strategy_mineral_usd": "strategy_usd",
    "price_alone_mineral_usd": "{limit}_alone_usd", "price_last_mineral_usd": "{limit}_last_usd",
    "china_share_no_policy": "china_share_{year}_no_policy", "china_share_base": "china_share_{year}_base",
})
CATALOGUE.update({f"head.{key}": (HEAD_IDS.get(key, key), ko) for key, ko in HEADS_COMPARE.items()})
for _key in ("price_low_usd", "price_high_usd", "price_significant", "price_share_of_strategy"):
    CATALOGUE[f"head.{_key}"] = (HEAD_IDS[_key].replace("{kind}", "price"), HEADS_COMPARE[_key])

CATALOGUE.update({f"note.{key}": texts for key, texts in {
    "case": ("The base, or the scenario's name", "기준 또는 시나리오 이름"),
    "case_status": ("optimal, feasible (time limit), infeasible, no plan in time, or failed verification",
                    "최적, 실행 가능(시간 제한), 실행 불가, 시간 내 해 없음, 또는 검증 실패"),
    "total_cost_usd": ("Present value of every cost, USD of {price_year}", "모든 비용의 현재가치, {price_year}년 가격 USD"),
    "delta_cost_usd": ("Change from the base (USD, present value)", "기준 대비 변화 (USD, 현재가치)"),
    "delta_cost_pct": ("Change from the base, a share of the base's cost", "기준 대비 변화율 (기준 비용 대비)"),
    "delta_part_usd": ("Change from the base: {part}. {note}", "기준 대비 변화: {part}. {note}"),
    "china_value_share": ("China share of the purchase value over all years and minerals (USD-weighted, purchases only: "
                          "the costly minerals count most); not the share the China cap limits",
                          "전 기간·전체 광물 구매 금액 중 중국 연계 비중 (금액 가중, 구매만: 비싼 광물의 비중이 큼); 중국 의존도 "
                          "상한이 제한하는 값이 아님"),
    "china_share_year": ("China share of {basis} in {year}, tonne-weighted over minerals (the share the China cap "
                         "limits, on Settings reliance_basis)",
                         "{year}년 {basis} 기준 중국 의존도, 광물 간 물량 가중 (설정 reliance_basis 기준, 중국 의존도 상한이 "
                         "제한하는 값)"),
    "recycling_share_year": ("Recycling share of demand in {year}, demand-weighted over minerals",
                             "{year}년 재자원화 비중, 광물 간 수요 가중"),
    "stockpile_days_year": ("Stockpile days (stock and agreement lines) in {year}, demand-weighted over minerals",
                            "{year}년 비축일수 (비축과 협정 물량), 광물 간 수요 가중"),
    "mean_avg_risk_year": ("Average political risk of supply in {year}, the mean over minerals (a score, not a share)",
                           "{year}년 공급의 평균 정치적 위험, 광물 평균 (점수)"),
    "mean_supply_risk_year": ("EU supply risk (the higher stage) in {year}, the mean over minerals",
                              "{year}년 EU 공급위험 지수 (높은 단계), 광물 평균"),
    "unmet_t_all": ("Demand not delivered over all years and minerals (t)", "전 기간·전체 광물 미충족 수요 (t)"),
    "proven_gap": ("Proven relative gap of the plan: the least cost lies within it", "증명된 상대 최적성 차이"),
    "proven_gap_usd": ("How much cheaper the best plan could be (objective minus HiGHS's bound); a change from the base "
                       "smaller than this plus the base's is not significant",
                       "최선의 계획이 얼마나 더 쌀 수 있는지 (목적값 - HiGHS 하한); 기준 대비 변화가 이것과 기준의 값의 합보다 "
                       "작으면 유의하지 않음"),
    "case_solve_s": ("Wall time of the solve, verification and diagnosis (s)", "풀이·검증·진단 시간 (초)"),
    "compare_objective_usd": ("What the case's hedged plan was decided on: cost if nothing happens + (1 - λ) x "
                              "expected disruption cost + λ x CVaR (Settings cvar_weight λ; at 0 the expected cost), "
                              "verified; USD of {price_year}, present value",
                              "사례의 헤지 계획을 결정한 값: 평시 비용 + (1 - λ) × 기대 공급 차질 비용 + λ × CVaR (설정 "
                              "cvar_weight λ; 0이면 기대비용), 검증됨; {price_year}년 가격 USD, 현재가치"),
    "hedged_objective_low_usd": ("As low as the best plan could be: hedged_objective_usd less the gap its solve proved",
                                 "최선의 계획이 가질 수 있는 가장 낮은 값: 헤지 목적값 - 풀이가 증명한 최적성 차이"),
    "delta_objective_usd": ("Change of the hedged objective from the base (USD, present value): the comparison's "
                            "headline", "기준 대비 헤지 목적값 변화 (USD, 현재가치): 비교의 핵심 수치"),
    "delta_objective_low_usd": ("The least the change can be, from the two plans' proven bounds",
                                "두 계획의 증명된 하한으로 본 변화의 최솟값"),
    "delta_objective_high_usd": ("The most the change can be (the bounds again)", "변화의 최댓값 (마찬가지로 하한에서)"),
    "delta_objective_significant": ("no: its proven range holds 0, a change within the two plans' proven gaps",
                                    "유의하지 않음: 증명된 범위가 0을 포함 (두 계획의 최적성 차이 이내)"),
    "delta_objective_pct": ("Change from the base, a share of the base's hedged objective",
                            "기준 대비 변화율 (기준 헤지 목적값 대비)"),
    "cost_if_calm_usd": ("The hedged plan's cost if no disruption happens, verified (USD of {price_year}, present "
                         "value): exact for this plan, but neither plan was chosen for it",
                         "공급 차질이 없을 때 헤지 계획의 비용, 검증됨 ({price_year}년 가격 USD, 현재가치): 이 계획에 대해서는 "
                         "정확하지만 어느 계획도 이를 기준으로 고르지 않음"),
    "delta_cost_if_calm_usd": ("Change of the cost if nothing happens from the base: no optimality proof "
                               "(neither plan minimises it), so no significance",
                               "기준 대비 평시 비용 변화: 어느 계획도 이를 최소화하지 않으므로 최적성 증명도 유의성도 없음"),
    "delta_part_calm_usd": ("Change from the base of the cost if nothing happens: {part}. {note}",
                            "기준 대비 평시 비용 변화: {part}. {note}"),
    "hedged_gap": ("Proven relative gap of the hedged objective's solve", "헤지 목적값 풀이의 증명된 상대 최적성 차이"),
    "what_changed": ("Generated summary, or the diagnosis of an infeasible case", "자동 요약, 또는 실행 불가 사례의 진단"),
    "compare_indicator": ("What is measured, in words (its id in indicator_id)",
                          "측정 대상 (ID는 지표 ID 열)"),
    "compare_indicator_id": ("The indicator's id", "지표의 ID"),
    "base_value": ("Value in the base case", "기준 사례의 값"),
    "case_value": ("Value in {case}", "{case}의 값"),
    "case_delta": ("{case}: change from the base", "{case}: 기준 대비 변화"),
    "story_case": ("Scenario (or sweep point)", "시나리오 (또는 스윕 점)"),
    "story_kind": ("country: tonnes mined or refined there (a tonne counts for both); option: a supply option; "
                   "recycling: tonnes recycled in Korea; stock_draw: tonnes released from the stock less tonnes added; "
                   "unmet: demand not delivered",
                   "country: 그 나라에서 채굴 또는 정제된 톤 (두 나라 모두에 셈); option: 공급처; recycling: 국내 재자원화; "
                   "stock_draw: 비축 방출 - 적립; unmet: 미충족 수요"),
    "story_item": ("ISO3 code or supplier_id", "ISO3 코드 또는 supplier_id"),
    "story_label": ("Its name", "이름"),
    "base_t": ("Tonnes in the base", "기준의 물량 (t)"),
    "scenario_t": ("Tonnes in the scenario", "시나리오의 물량 (t)"),
    "change_t": ("scenario_t - base_t; rows are largest first within a mineral and year",
                 "시나리오 - 기준; 광물·연도 안에서 큰 순서"),
    "story_political_risk": ("Of the country (option: its mining country)", "국가의 정치적 위험 (공급처는 채굴국)"),
    "story_alignment": ("Alignment score with Korea of the country (option: its mining country)",
                        "국가의 한국과의 우호도 (공급처는 채굴국)"),
    "mineral_touched": ("yes: the scenario changes this mineral's data; no: a change elsewhere, often between plans of "
                        "near-equal cost (within the solver's gap)",
                        "예: 시나리오가 이 광물의 데이터를 바꿈; 아니오: 다른 곳의 변화, 흔히 비용이 거의 같은 계획 사이의 차이 "
                        "(최적성 차이 이내)"),
    "input_sheet": ("The workbook sheet the scenario changes", "시나리오가 바꾸는 워크북 시트"),
    "input_column": ("The column it changes", "바꾸는 열"),
    "input_row": ("The row: an id, or a mineral (Demand, Feedstock, Policy) or a setting",
                  "행: ID, 광물(Demand, Feedstock, Policy) 또는 설정"),
    "input_years": ("The years changed, one run of years a row", "바뀌는 연도 (연속 구간마다 한 행)"),
    "input_cell": ("The base workbook's cells (the sheet alone where the base has no row of its own: an all-minerals "
                   "Policy row applies)", "기준 워크북의 셀 (자체 행이 없으면 시트만: 전체 광물 정책 행 적용)"),
    "input_old": ("The value in the base (first and last of the run where it changes by year)",
                  "기준의 값 (연도별로 다르면 구간의 처음과 끝)"),
    "input_new": ("The value in the scenario", "시나리오의 값"),
    "input_set_by": ("The Scenarios cell that changes it", "값을 바꾸는 Scenarios 셀"),
    "diagnosis_cell": ("Workbook cell of the limit", "한도의 워크북 셀"),
    "diagnosis_limit": ("Policy family (or demand)", "정책 한도 (또는 수요)"),
    "diagnosis_country": ("Country, for single-country caps", "국가 (특정국 상한)"),
    "diagnosis_value": ("The limit now", "현재 한도"),
    "needed": ("The loosest value the data can meet", "데이터가 지킬 수 있는 가장 느슨한 값"),
    "diagnosis_unit": ("share, score, days or t", "비중, 점수, 일 또는 t"),
    "least_cost_if_calm_usd": ("The least-cost plan's cost if no disruption happens (USD, present value)",
                               "공급 차질이 없을 때 최소비용 계획의 비용 (USD, 현재가치)"),
    "least_cost_expected_usd": ("Its expected cost over the Disruptions sheet's scenarios (USD)",
                                "Disruptions 시트 시나리오에 대한 기대비용 (USD)"),
    "least_cost_cvar_usd": ("CVaR of its disruption cost at Settings cvar_level (USD)",
                            "설정 cvar_level에서 공급 차질 비용의 조건부 위험가치(CVaR) (USD)"),
    "hedged_if_calm_usd": ("The hedged plan's cost if no disruption happens (USD)", "공급 차질이 없을 때 헤지 계획의 비용 (USD)"),
    "compare_hedged_expected_usd": ("Its expected cost (USD)", "헤지 계획의 기대비용 (USD)"),
    "hedged_cvar_usd": ("CVaR of its disruption cost (USD)", "헤지 계획의 공급 차질 비용 CVaR (USD)"),
    "insurance_premium_usd": ("hedged_if_calm - least_cost_if_calm: what the hedge costs if nothing happens",
                              "헤지 평시 - 최소비용 평시: 아무 일도 없을 때 헤지의 비용"),
    "expected_saving_usd": ("least_cost_expected - hedged_expected: what the hedge saves on average",
                            "최소비용 기대비용 - 헤지 기대비용: 헤지의 평균 절감액"),
    "price_policy": ("The Policy column priced (that limit in every mineral and year), or strategy: every family "
                     "the workbook sets", "가격을 매기는 정책 열 (모든 광물·연도의 그 한도), 또는 strategy (전략): 워크북이 정한 "
                     "모든 한도"),
    "price_policy_name": ("Its name", "이름"),
    "price_alone_usd": ("Its stand-alone price: the least cost with this family alone minus the least cost with no "
                        "policy (the strategy: the base minus no policy); USD, present value",
                        "단독 가격: 이 한도만 있을 때의 최소비용 - 정책 없음의 최소비용 (전략: 기준 - 정책 없음); USD, 현재가치"),
    "price_last_usd": ("Its price added last: the base's least cost minus the least cost with every family but this "
                       "one; USD, present value",
                       "마지막 추가 가격: 기준의 최소비용 - 이 한도만 뺀 최소비용; USD, 현재가치"),
    "price_low_usd": ("The least it can be, from the two plans' proven bounds", "두 계획의 증명된 하한으로 본 최솟값"),
    "price_high_usd": ("The most it can be (the bounds again)", "최댓값 (마찬가지로 하한에서)"),
    "price_significant": ("no: its proven range holds 0, a difference within the two plans' proven gaps",
                          "유의하지 않음: 증명된 범위가 0을 포함 (두 계획의 최적성 차이 이내)"),
    "price_share_of_strategy": ("Over the strategy's price", "전략 가격 대비"),
    "price_strategy_mineral_usd": ("The base's cost of this mineral minus no policy's (USD, present value)",
                                   "이 광물의 기준 비용 - 정책 없음 비용 (USD, 현재가치)"),
    "price_alone_mineral_usd": ("{limit} alone minus no policy, this mineral's costs",
                                "{limit} 단독 - 정책 없음, 이 광물의 비용"),
    "price_last_mineral_usd": ("The base minus all but the {limit}, this mineral's costs",
                               "기준 - {limit}만 뺀 사례, 이 광물의 비용"),
    "china_share_no_policy": ("China share of {basis} in {year} with no policy (Settings reliance_basis)",
                              "정책 없음일 때 {year}년 {basis} 기준 중국 의존도 (설정 reliance_basis)"),
    "china_share_base": ("The same with every Policy limit in force", "모든 정책 한도를 적용했을 때의 같은 값"),
}.items()})

CATALOGUE.update({
    "sheet.inputs": ("Inputs", "바뀐 입력"),
    "sheet.story": ("Story", "대체 내역"),
    "sheet.diagnosis": ("Diagnosis", "진단"),
    "sheet.hedged": ("Hedged", "헤지"),
    "sheet.policies": ("Policies", "정책별 가격"),
    "sheet.policies_by_mineral": ("Policies by mineral", "광물별 정책 가격"),
    "col.case": ("case", "사례"),
    # ---- compare ----------------------------------------------------------------------------------
    "compare.title": ("What-if comparison: {workbook}", "가정 시나리오 비교: {workbook}"),
    "compare.title.policies": ("The price of each policy: {workbook}", "정책별 가격: {workbook}"),
    "compare.subtitle": ("{first}-{last}, costs in {currency} of {price_year}, present value at the start of {first}; "
                         "{cases} case{cases_s}, {verified} with a plan solved to a {gap} gap and verified; input SHA-256 {sha}",
                         "{first}-{last}, 비용은 {price_year}년 가격 {currency}, {first}년 초 현재가치; 사례 {cases}개 중 "
                         "계획이 있는 {verified}개를 최적성 차이 {gap}까지 풀고 검증; 입력 SHA-256 {sha}"),
    "compare.what_changed": ("What changed", "무엇이 바뀌었나"),
    "compare.base": ("base", "기준"),
    "compare.base.what": ("The workbook as it is.", "워크북 그대로."),
    "compare.base.no_plan": ("The base case has no plan ({why}); changes cannot be measured.",
                             "기준 사례에 계획이 없어({why}) 변화를 잴 수 없습니다."),
    "compare.alone": ("{limit} alone", "{limit} 단독"),
    "compare.all_but": ("all but the {limit}", "{limit} 제외 전체"),
    "compare.strategy": ("strategy (every policy)", "전략 (모든 정책)"),
    "compare.case.no_policy": ("no policy", "정책 없음"),
    "compare.case.base": ("every policy", "모든 정책"),
    "compare.cap_of": ("cap ({case})", "상한 ({case})"),
    "compare.other": ("other", "기타"),
    "compare.story.no_plan": ("{case}: {why}", "{case}: {why}"),
    "compare.story.base_no_plan": ("{case}: cost {usd} over {first}-{last} (the base has no plan)",
                                   "{case}: {first}-{last} 비용 {usd} (기준에 계획 없음)"),
    "compare.story.cost": ("{case}: cost {usd}{pct} over {first}-{last} (present value)",
                           "{case}: {first}-{last} 비용 {usd}{pct} (현재가치)"),
    "compare.story.not_significant": (", smaller than the two plans' proven gaps together ({gap}): not significant",
                                      ", 두 계획의 증명된 최적성 차이 합({gap})보다 작아 유의하지 않음"),
    # compare --hedged: each case by what its hedged plan was decided and proven on, the cost if nothing happens
    # beside it.
    "compare.objective.neutral": ("expected cost", "기대비용"),
    "compare.objective.cvar": ("expected cost and CVaR (weight {weight})", "기대비용과 CVaR (가중치 {weight})"),
    "compare.story.hedged_cost": ("{case}: {objective} {usd}{pct} over {first}-{last} (present value), proven between "
                                  "{low} and {high} M",
                                  "{case}: {first}-{last} {objective} {usd}{pct} (현재가치), 증명된 범위 {low}~{high} M"),
    "compare.story.hedged_not_significant": (": not significant, the range holds 0",
                                             ": 범위가 0을 포함하여 유의하지 않음"),
    "compare.story.if_calm": ("; cost if nothing happens {usd}", "; 평시 비용 {usd}"),
    "compare.story.hedged_base_no_plan": ("{case}: {objective} {usd} over {first}-{last} (the base has no plan)",
                                          "{case}: {first}-{last} {objective} {usd} (기준에 계획 없음)"),
    "compare.story.moves": ("{mineral} in {year}: {moves}", "{year}년 {mineral}: {moves}"),
    "compare.story.china": ("China share in {year} {share} (base {base}), tonne-weighted over minerals",
                            "{year}년 중국 의존도 {share} (기준 {base}), 광물 간 물량 가중"),
    "compare.story.end": (".", "."),
    "compare.relax": ("infeasible: {parts}{more}", "실행 불가: {parts}{more}"),
    "compare.relax.cap": ("{cell} {limit}, {mineral} {year}: must be at least {value}",
                          "{cell} {limit}, {mineral} {year}: {value} 이상이어야 함"),
    "compare.relax.min": ("{cell} {limit}, {mineral} {year}: must be at most {value}",
                          "{cell} {limit}, {mineral} {year}: {value} 이하여야 함"),
    "compare.relax.more": (" and {n} more", " 외 {n}개"),
    # Why a case, sweep point or alternative has no plan a report may use (planner.studies.reasons).
    "why.infeasible": ("infeasible", "실행 불가"),
    "why.diagnosis_cut": ("infeasible; the time limit of {s} s ended the diagnosis before it found which limits must "
                          "move; raise --time-limit or the Settings time_limit_s to have them",
                          "실행 불가; 시간 제한 {s}초 안에 진단이 끝나지 않아 어떤 제한을 바꿔야 하는지 찾지 못함; "
                          "--time-limit 또는 Settings의 time_limit_s를 늘리면 찾을 수 있음"),
    "why.data_conflict": ("infeasible even with every policy limit relaxed: the conflict is in the data (forced "
                          "contracts, minimum volumes, first/last years)",
                          "모든 정책 제한을 풀어도 실행 불가: 충돌은 데이터에 있음 (강제 계약, 최소 물량, 첫 해·마지막 해)"),
    "why.time_limit": ("no plan within the time limit of {s} s", "시간 제한 {s}초 안에 해 없음"),
    "why.unverified": ("the plan failed independent verification: {detail}", "계획이 독립 검증을 통과하지 못함: {detail}"),
    "why.untested": ("the disruptions could not be tested: {detail}", "공급 차질 시나리오를 시험할 수 없음: {detail}"),
    "why.over_budget": ("the plan breaks the budget: {detail}", "계획이 예산을 넘음: {detail}"),
    "why.no_decision": ("it depends on no decision of this case", "이 사례의 어떤 결정과도 무관함"),
    "why.invalid": ("the edited case breaks a rule of the workbook: {detail}", "수정한 사례가 워크북 규칙을 어김: {detail}"),
    "why.tighter_plan": ("the plan found for a tighter limit, cheaper than this solve's",
                         "더 엄격한 제한에서 찾은 계획 (이 풀이의 계획보다 저렴)"),
    "word.demand": ("demand", "수요"),
    "word.blank": ("blank", "공란"),
    "unit.word.share": ("share", "비중"),
    "unit.word.score": ("score", "점수"),
    "unit.word.days": ("days", "일"),
    "unit.word.t": ("t", "t"),
    "unit.word.t/yr": ("t/yr", "t/년"),
    # The units of a conflict's cells (models.iis) a stockpile report names: a contract length, a stream plant's
    # capacity in its stream's units, a stream's mineral content per unit.
    "unit.word.yr": ("yr", "년"),
    "unit.word.units/yr": ("units/yr", "단위/년"),
    "unit.word.t/unit": ("t/unit", "t/단위"),
    "compare.story.from": ("{mineral} in {year} from {sources}", "{year}년 {mineral} 공급원: {sources}"),
    "compare.story.shortfall": ("{year} shortfall {t}", "{year}년 부족량 {t}"),
    "compare.story.after_stock": (" after {t} from the stockpile", " (비축 방출 {t} 후)"),
    "compare.story.no_shortfall": ("no shortfall in {year}, {t} from the stockpile", "{year}년 부족 없음, 비축 방출 {t}"),
    "compare.story.later": ("{t} unmet in {years}", "{years}년 부족량 {t}"),
    "compare.assume.usd": ("Every USD is USD of {price_year} prices, present value at the start of {first} at a {rate} "
                           "real discount rate, summed over {first}-{last}.",
                           "모든 금액은 {price_year}년 가격 기준 미 달러이며, 실질 할인율 {rate_to} {first}년 초 현재가치로 "
                           "환산해 {first}-{last} 기간을 합한 값입니다."),
    "compare.assume.foresight": ("Each case is planned with perfect foresight: it knows every year's prices, demand, "
                                 "limits and the scenario's changes in advance, so a ban is planned for, not "
                                 "suffered (planner stress tests a plan against disruptions it did not foresee).",
                                 "각 사례는 완전 예견으로 계획합니다: 모든 연도의 가격·수요·한도와 시나리오의 변화를 미리 "
                                 "알기 때문에 수출 금지에도 미리 대비한 계획입니다 (예견하지 못한 공급 차질은 planner stress가 "
                                 "시험합니다)."),
    # compare --hedged: the case's changes are known, the disruptions are not.
    "compare.assume.foresight_hedged": (
        "Each case's plan knows every year's prices, demand, limits and the case's changes in advance, so a ban of the "
        "case is planned for, not suffered; but it is decided before knowing which of the Disruptions sheet's "
        "scenarios happens, if any: its contracts, stock and agreement lines are hedged against them all, and each "
        "scenario then meets that plan with its stock, agreement lines, spot purchases and extra recycling.",
        "각 사례의 계획은 모든 연도의 가격·수요·한도와 사례의 변화를 미리 알기 때문에 사례의 수출 금지도 대비한 상태로 "
        "맞습니다. 다만 Disruptions 시트의 시나리오 중 어느 것이 일어날지(또는 일어나지 않을지) 모른 채 결정되므로, 계약·"
        "비축·협정 물량은 그 모두에 대비한 헤지이며, 각 시나리오는 그 계획을 비축·협정 물량·현물 구매·추가 재자원화로 "
        "맞습니다."),
    "compare.assume.floor": ("Every case keeps the Policy sheet's stockpile minimum in every year: in a what-if the "
                             "stock is not drawn below it, even during a ban, so a case can show stock at the minimum "
                             "beside unmet demand.",
                             "모든 사례는 매년 Policy 시트의 최소 비축일수를 지킵니다: 가정 시나리오에서는 수출 금지 중에도 "
                             "비축을 그 아래로 방출하지 않으므로, 비축이 하한에 있는데도 미충족 수요가 생길 수 있습니다."),
    "compare.assume.significance": ("A change smaller than the two plans' proven gaps together is not significant; "
                                    "values within round-off are 0.",
                                    "두 계획의 증명된 최적성 차이 합보다 작은 변화는 유의하지 않으며, 반올림 오차 이내의 값은 "
                                    "0입니다."),
    "compare.assume.hedged": ("Each case's plan is its hedged plan, decided against the Disruptions sheet (its "
                              "probabilities are assumptions) on {formula}. A change of it whose proven range holds 0 "
                              "is not significant; the cost if nothing happens and its change carry no proof.",
                              "각 사례의 계획은 Disruptions 시트(확률은 가정)에 대해 결정한 헤지 계획이며, 그 목적값은 "
                              "{formula}입니다. 증명된 범위가 0을 포함하는 변화는 유의하지 않으며, 평시 비용과 그 변화에는 증명이 "
                              "없습니다."),
    "compare.formula.neutral": ("cost if nothing happens + expected disruption cost (Settings cvar_weight 0)",
                                "평시 비용 + 기대 공급 차질 비용 (설정 cvar_weight 0)"),
    "compare.formula.cvar": ("cost if nothing happens + (1 - {weight}) x expected disruption cost + {weight} x CVaR at "
                             "level {level} (Settings cvar_weight, cvar_level)",
                             "평시 비용 + (1 - {weight}) × 기대 공급 차질 비용 + {weight} × 수준 {level}의 CVaR (설정 "
                             "cvar_weight, cvar_level)"),
    "compare.sec.prices": ("The price of each policy", "정책별 가격"),
    "compare.sec.headline": ("Cost and headline indicators", "비용과 주요 지표"),
    "compare.sec.hedged": ("Least-cost and hedged plans against the disruptions", "공급 차질에 대한 최소비용 계획과 헤지 계획"),
    "compare.sec.case": ("{case}: the inputs it changes and what moved", "{case}: 바뀐 입력과 달라진 결과"),
    "compare.sec.cost": ("Cost", "비용"),
    "compare.sec.china": ("China share against each case's cap", "사례별 중국 의존도와 상한"),
    "compare.sec.sr": ("Supply risk in {year}", "{year}년 공급위험"),
    "compare.sec.mix": ("Supply mix", "공급 구성"),
    "compare.sec.recycling": ("Recycling and stockpile", "재자원화와 비축"),
    "compare.sec.diagnosis": ("Cases without a plan: what must move", "계획이 없는 사례: 바꿔야 할 한도"),
    "compare.col.cost": ("cost (USD M of {price_year}, PV)", "비용 ({price_year}년 가격 USD M, 현재가치)"),
    "compare.col.change_usd": ("change (USD M)", "변화 (USD M)"),
    "compare.col.change": ("change", "변화율"),
    "compare.col.china": ("China share of {basis} {year}", "중국 의존도 ({basis}) {year}"),
    "compare.col.recycling": ("recycling share {year}", "재자원화 비중 {year}"),
    "compare.col.stock": ("stockpile days {year}", "비축일수 {year}"),
    "compare.col.sr": ("EU supply risk {year}, mean", "EU 공급위험 {year}, 평균"),
    "compare.col.objective": ("{objective} (USD M of {price_year}, PV)", "{objective} ({price_year}년 가격 USD M, 현재가치)"),
    "compare.col.calm": ("cost if nothing happens (USD M)", "평시 비용 (USD M)"),
    "compare.col.calm_change": ("change if nothing happens (USD M)", "평시 비용 변화 (USD M)"),
    "compare.headline.note_hedged": (
        "The {objective} is what each case's hedged plan was decided on and proven to its gap; a change of it is "
        "significant only when its proven range (from the two plans' bounds) leaves out 0. The cost if nothing "
        "happens is the hedged plan's cost with no disruption: exact for that plan, but neither plan was chosen for "
        "it, so its change between two cases has no optimality proof and no significance.",
        "{objective_topic} 각 사례의 헤지 계획을 결정하고 최적성 차이 이내로 증명한 값입니다; 그 변화는 증명된 범위(두 계획의 "
        "하한에서)가 0을 포함하지 않을 때만 유의합니다. 평시 비용은 공급 차질이 없을 때 헤지 계획의 비용으로, 그 계획에 대해서는 "
        "정확하지만 어느 계획도 이를 기준으로 고르지 않았으므로 두 사례 간 변화에는 최적성 증명도 유의성도 없습니다."),
    "compare.headline.note": ("Shares and days in {year} (the strategy's target year) are tonne-weighted over minerals "
                              "(days demand-weighted), on the Settings reliance basis: the measures the Policy limits "
                              "set; the supply risk is the mean over minerals.",
                              "{year}년(전략 목표 연도)의 비중과 일수는 광물 간 물량 가중(일수는 수요 가중)이며 설정의 의존도 "
                              "기준을 따릅니다: 정책 한도가 정하는 지표입니다. 공급위험은 광물 평균입니다."),
    "compare.col.hedged_lc_calm": ("least-cost: if nothing happens", "최소비용: 평시"),
    "compare.col.hedged_lc_expected": ("least-cost: expected", "최소비용: 기대비용"),
    "compare.col.hedged_lc_cvar": ("least-cost: CVaR of disruption cost", "최소비용: 공급 차질 비용 CVaR"),
    "compare.col.hedged_h_calm": ("hedged: if nothing happens", "헤지: 평시"),
    "compare.col.hedged_h_expected": ("hedged: expected", "헤지: 기대비용"),
    "compare.col.hedged_h_cvar": ("hedged: CVaR of disruption cost", "헤지: 공급 차질 비용 CVaR"),
    "compare.col.hedged_premium": ("insurance premium", "보험료"),
    "compare.col.hedged_saving": ("expected saving", "기대 절감액"),
    "compare.hedged.note": ("Each case's plans are tested against the Disruptions sheet (probabilities are "
                            "assumptions). The case's plan in the rest of this report is its hedged plan. USD M, "
                            "present value.",
                            "각 사례의 계획을 Disruptions 시트에 대해 시험했습니다 (확률은 가정). 이 보고서의 나머지에서 사례의 "
                            "계획은 헤지 계획입니다. USD M, 현재가치."),
    "compare.col.sheet": ("sheet", "시트"),
    "compare.col.column": ("column", "열"),
    "compare.col.row": ("row", "행"),
    "compare.col.years": ("years", "연도"),
    "compare.col.cell": ("cell in the base", "기준 셀"),
    "compare.col.old": ("base", "기준 값"),
    "compare.col.new": ("scenario", "새 값"),
    "compare.col.set_by": ("set by", "바꾼 셀"),
    "compare.inputs.none": ("No workbook figure differs from the base.", "기준과 다른 워크북 값이 없습니다."),
    "compare.inputs.lifted": ("The Policy sheet's {limits}: lifted (blank in every mineral and year). No other "
                              "workbook figure differs from the base.",
                              "Policy 시트의 {limits}: 해제 (모든 광물·연도에서 빈칸). 그 밖에 기준과 다른 워크북 값은 "
                              "없습니다."),
    "compare.col.output": ("output", "결과"),
    "compare.out.cost": ("cost, present value", "비용, 현재가치"),
    "compare.out.objective": ("{objective}, present value", "{objective}, 현재가치"),
    "compare.out.calm": ("cost if nothing happens, present value", "평시 비용, 현재가치"),
    "compare.out.unmet": ("unmet demand, all years", "미충족 수요, 전 기간"),
    "compare.out.none": ("No output moved beyond round-off.", "반올림 오차를 넘어 달라진 결과가 없습니다."),
    "compare.no_change": ("{mineral}: no supplier, recycling, stock or unmet change against the base.",
                          "{mineral}: 기준 대비 공급처·재자원화·비축·미충족 변화가 없습니다."),
    "compare.chart.story": ("{case}: {mineral}, tonnes gained and lost against the base, unmet demand beside",
                            "{case}: {mineral}, 기준 대비 늘고 준 물량과 미충족 수요"),
    "compare.col.gained": ("gained (largest first)", "증가 (큰 순서)"),
    "compare.col.lost": ("lost (largest first)", "감소 (큰 순서)"),
    "compare.col.unmet_change": ("unmet: change (t)", "미충족 변화 (t)"),
    "compare.col.mined_base": ("mined there, base {first}-{last} (t)", "채굴량, 기준 {first}-{last} (t)"),
    "compare.col.mined_case": ("mined there, {case} (t)", "채굴량, {case} (t)"),
    "compare.col.refined_base": ("refined there, base (t)", "정제량, 기준 (t)"),
    "compare.col.refined_case": ("refined there, {case} (t)", "정제량, {case} (t)"),
    "compare.countries.note": ("Each tonne counts once among the mined columns (for the country that mined it) and once "
                               "among the refined columns (for the country that refined it); all years.",
                               "각 톤은 채굴량 열에서 한 번(채굴국), 정제량 열에서 한 번(정제국) 셉니다; 전 기간."),
    "compare.chart.parts": ("Cost by part per case (USD M of {price_year}, present value)",
                            "사례별 비용 구성 ({price_year}년 가격 USD M, 현재가치)"),
    "compare.chart.deltas": ("Change in cost from the base, by part (USD M)", "기준 대비 비용 변화, 항목별 (USD M)"),
    "compare.chart.parts_calm": ("Cost if nothing happens by part per case (USD M of {price_year}, present value)",
                                 "사례별 평시 비용 구성 ({price_year}년 가격 USD M, 현재가치)"),
    "compare.chart.deltas_calm": ("Change in the cost if nothing happens from the base, by part (USD M)",
                                  "기준 대비 평시 비용 변화, 항목별 (USD M)"),
    "compare.chart.china_all": ("China share of {basis}, tonne-weighted over minerals, per case",
                                "사례별 중국 의존도 ({basis} 기준, 광물 간 물량 가중)"),
    "compare.chart.china": ("{mineral}: China share of {basis} per case", "{mineral}: 사례별 중국 의존도 ({basis} 기준)"),
    "compare.chart.sr": ("EU supply risk for Korea's sourcing in {year} (higher stage), per case",
                         "{year}년 한국 조달의 EU 공급위험 지수 (높은 단계), 사례별"),
    "compare.chart.mix": ("Purchase value by mining country, all minerals {first}-{last} (USD M, undiscounted)",
                          "채굴국별 구매액, 전체 광물 {first}-{last} (USD M, 할인 전)"),
    "compare.chart.recycling": ("Recycling share of demand, demand-weighted over minerals",
                                "재자원화 비중 (광물 간 수요 가중)"),
    "compare.chart.stock": ("Stockpile days, demand-weighted over minerals", "비축일수 (광물 간 수요 가중)"),
    "compare.price.unknown": ("unknown (a case has no plan)", "알 수 없음 (계획이 없는 사례)"),
    "compare.price.strategy": ("The strategy (every Policy limit the workbook sets: {families}) costs {usd}{pct} over "
                               "{first}-{last} (present value) against no policy.",
                               "전략(워크북이 정한 모든 정책 한도: {families})의 비용은 정책 없음 대비 {first}-{last} 기간 "
                               "{usd}{pct}(현재가치)입니다."),
    "compare.price.each": ("Alone, against no policy: {alone}. Added last, with every other policy in force: {last}.",
                           "정책 없음 대비 단독: {alone}. 나머지 한도를 모두 둔 상태에서 마지막 추가: {last}."),
    "compare.price.china": ("China share of {basis} in {year}, tonne-weighted over minerals: {none} with no policy, "
                            "{base} with the policies.",
                            "{year}년 {basis} 기준 중국 의존도(광물 간 물량 가중): 정책 없음 {none}, 정책 적용 {base}."),
    "compare.price.note": ("Alone: the least cost with only this Policy column in force (every other blank) minus the "
                           "least cost with no policy; the strategy's: the base minus no policy. Added last: the base "
                           "minus the least cost with every policy but this one. Policies overlap (a 40% cap on any "
                           "country caps China too), so neither column adds up to the strategy's price. Each price "
                           "lies in its proven range (the two plans' bounds); one whose range holds 0 is not "
                           "significant. {currency} of {price_year}, present value.",
                           "단독: 이 정책 열만 적용(나머지 공란)한 최소비용 - 정책 없음의 최소비용; 전략: 기준 - 정책 없음. "
                           "마지막 추가: 기준 - 이 한도만 뺀 최소비용. 한도들이 겹치므로(어느 나라든 40% 상한은 중국에도 "
                           "적용) 어느 열도 합이 전략의 가격과 같지 않습니다. 각 가격은 증명된 범위(두 계획의 하한) 안에 "
                           "있으며, 범위가 0을 포함하면 유의하지 않습니다. {price_year}년 가격 {currency}, 현재가치."),
    "compare.price.chart": ("The price of each policy: alone and added last (USD M)",
                            "정책별 가격: 단독과 마지막 추가 (USD M)"),
    "compare.col.alone": ("alone (USD M)", "단독 (USD M)"),
    "compare.col.last": ("added last (USD M)", "마지막 추가 (USD M)"),
    "compare.price.bar.alone": ("alone", "단독"),
    "compare.price.bar.last": ("added last", "마지막 추가"),
    "compare.col.alone_of": ("{limit}: alone", "{limit}: 단독"),
    "compare.col.last_of": ("{limit}: added last", "{limit}: 마지막 추가"),
    "compare.col.china_case": ("China {year}: {case}", "중국 의존도 {year}: {case}"),
    "compare.price.by_mineral": ("By mineral: each price split by the minerals' verified costs (the proven range is the "
                                 "total's), then the China share of {basis} with no policy and with every policy: what "
                                 "the policies buy.",
                                 "광물별: 각 가격을 광물의 검증된 비용으로 나눈 값(증명된 범위는 합계의 것), 그리고 정책 없음과 "
                                 "모든 정책 적용 시 {basis} 기준 중국 의존도: 정책이 얻는 것."),
})


# ---- sweep -----------------------------------------------------------------------------------------
HEADS_SWEEP = {
    "swept_value": "{limit}", "marginal_usd_per_point": "한계비용 (USD/{per})", "part_usd": "{part} (USD)",
    "swept_binds": "{limit} 구속", "binds_instead": "대신 구속되는 한도", "point_note": "비고",
    "mineral_cost_usd": "{mineral} 비용 (USD)", "mineral_marginal_usd": "{mineral} 한계비용 (USD/{per})",
    "mineral_china_share": "{mineral} 중국 의존도 {year}", "mineral_supply_risk": "{mineral} 공급위험 {year}",
    "sweep_point": "{limit}",
}
HEAD_IDS.update({"swept_value": "{limit}", "part_usd": "{part}_usd", "swept_binds": "binding_here",
                 "point_note": "note", "mineral_cost_usd": "{mineral}_cost_usd",
                 "mineral_marginal_usd": "{mineral}_marginal_usd_per_point",
                 "mineral_china_share": "{mineral}_china_share_{year}", "mineral_supply_risk": "{mineral}_supply_risk_{year}",
                 "sweep_point": "{limit}"})
CATALOGUE.update({f"head.{key}": (HEAD_IDS.get(key, key), ko) for key, ko in HEADS_SWEEP.items()})
CATALOGUE.update({f"note.{key}": texts for key, texts in {
    "swept_value": ("The {limit} in the swept years", "스윕한 연도의 {limit}"),
    "marginal_usd_per_point": ("Cost of the step from the previous row, per {per} of tightening (USD, present value)",
                               "이전 행에서의 한 단계 비용, 강화 {per}당 (USD, 현재가치)"),
    "part_usd": ("Present value of {part}: {note}", "{part}의 현재가치: {note}"),
    "swept_binds": ("Swept mineral-years where the plan sits at the {limit}, of all swept", "스윕한 광물·연도 중 계획이 "
                    "{limit}에 닿은 수"),
    "binds_instead": ("Where the {limit} does not bind: the other limits that sit at their own, in how many of those "
                      "mineral-years, and their highest shadow price (USD per point)",
                      "{limit_subject} 구속되지 않는 곳에서 대신 한도에 닿은 다른 한도, 그 광물·연도 수, 최고 잠재가격 "
                      "(USD/포인트)"),
    "point_note": ("Why a point has no plan, or whose plan it keeps", "계획이 없는 이유, 또는 유지한 계획"),
    "mineral_cost_usd": ("Present value of {mineral}'s costs", "{mineral} 비용의 현재가치"),
    "mineral_marginal_usd": ("{mineral}: cost of the step per {per}", "{mineral}: {per}당 한 단계 비용"),
    "mineral_china_share": ("{mineral}: China share of {basis} in {year}", "{mineral}: {year}년 {basis} 기준 중국 의존도"),
    "mineral_supply_risk": ("{mineral}: EU supply risk for Korea's sourcing in {year}, the higher stage (Definitions "
                            "sheet)", "{mineral}: {year}년 한국 조달의 EU 공급위험 지수, 높은 단계 (정의 시트)"),
    "sweep_point": ("The {limit} of the point; the base is the loosest point", "점의 {limit}; 기준은 가장 느슨한 점"),
}.items()})
CATALOGUE.update({
    "sheet.sweep": ("Sweep", "스윕"),
    "sheet.bymineral": ("ByMineral", "광물별"),
    "sheet.chinashare": ("ChinaShare", "중국 의존도"),
    "sheet.supplyrisk": ("SupplyRisk", "공급위험"),
    "sweep.title": ("The price of security: the {limit}, {workbook}", "안보의 가격: {limit}, {workbook}"),
    "sweep.subtitle": ("{points} point{points_s}, {verified} solved to a {gap} gap and verified; costs in {currency} of "
                       "{price_year}, present value {first}-{last}",
                       "{points}개 점, {verified}개를 최적성 차이 {gap}까지 풀고 검증; 비용은 {price_year}년 가격 {currency}, "
                       "{first}-{last} 현재가치"),
    "sweep.where": ("in {years}", "{years}년에"),
    "sweep.where_minerals": ("in {years} for {minerals}", "{years}년 {minerals}에"),
    "sweep.per.share": ("percentage point", "퍼센트포인트"),
    "sweep.per.score": ("0.01 of risk score", "위험 점수 0.01"),
    "sweep.per.days": ("day", "1일"),
    "sweep.range": ("{a} to {b}", "{a}에서 {b}까지"),
    "sweep.instead.one": ("{limit} at its limit in {n} (up to USD {price} per point)",
                          "{limit}: {n}곳에서 한도에 닿음 (최고 USD {price}/포인트)"),
    "sweep.not_applicable": ("Not applicable to {minerals}: the {limit} applies only to {whom}, so these minerals are "
                             "left out of the sweep.",
                             "{minerals}에는 적용되지 않음: {limit_topic} {whom}에만 적용되므로 스윕에서 뺐습니다."),
    "sweep.none": ("No point of the sweep has a verified plan. At the loosest, {at}: {why}.",
                   "스윕의 어느 점에도 검증된 계획이 없습니다. 가장 느슨한 {at}에서: {why}."),
    "sweep.story.rise": ("Tightening the {limit} {where} from {loose} to {tight} raises the present-value cost by "
                         "{usd}{pct}.", "{where} {limit_object} {loose}에서 {tight}까지 강화하면 현재가치 비용이 "
                         "{usd}{pct} 늘어납니다."),
    # The two ends' costs differ by less than their proven gaps together (project rule 7), or not at all.
    "sweep.story.rise_ns": ("Tightening the {limit} {where} from {loose} to {tight} changes the present-value cost by "
                            "{usd}{pct}, less than the two plans' proven gaps together ({gap}): not significant.",
                            "{where} {limit_object} {loose}에서 {tight}까지 강화하면 현재가치 비용이 {usd}{pct} "
                            "달라지지만, 두 계획의 증명된 최적성 차이 합({gap})보다 작아 유의하지 않습니다."),
    "sweep.story.unchanged": ("Tightening the {limit} {where} from {loose} to {tight} leaves the present-value cost "
                              "unchanged ({usd}).", "{where} {limit_object} {loose}에서 {tight}까지 강화해도 현재가치 "
                              "비용은 변하지 않습니다 ({usd})."),
    "sweep.story.unchanged_ns": ("Tightening the {limit} {where} from {loose} to {tight} leaves the cost of the plans "
                                 "found unchanged ({usd}), but their proven gaps together ({gap}) leave room for a "
                                 "change of the least cost up to that: not significant.",
                                 "{where} {limit_object} {loose}에서 {tight}까지 강화해도 찾은 계획의 현재가치 비용은 "
                                 "같지만({usd}), 두 계획의 증명된 최적성 차이 합({gap}) 이내의 최소비용 변화는 가려낼 "
                                 "수 없어 유의하지 않습니다."),
    "sweep.story.steepest": ("The steepest step is from {a} to {b}: {usd} per {per}.",
                             "가장 가파른 단계는 {a}에서 {b}: {per}당 {usd}."),
    "sweep.story.instead": ("{values}: the {limit} does not bind in {slack} of {n} swept mineral-years: there the "
                            "{by} sits at its limit in {at} (shadow price up to USD {price} per point) and does the work "
                            "instead.",
                            "{values}: {limit_topic} 스윕한 광물·연도 {n}개 중 {slack}개에서 구속되지 않습니다: 그곳에서는 "
                            "{by_subject} {at}개에서 한도에 닿아(잠재가격 최고 USD {price}/포인트) 대신 역할을 합니다."),
    "sweep.story.gap": ("Each plan is within {gap} of the least cost (about {usd}); smaller differences are the "
                        "solver's tolerance, not policy. Run with a smaller --gap for a finer curve.",
                        "각 계획은 최소비용과의 차이가 {gap}(약 {usd}) 이내입니다; 이보다 작은 차이는 정책이 아니라 풀이 "
                        "허용오차입니다. 더 세밀한 곡선은 --gap을 줄여 실행하세요."),
    "sweep.story.no_plan": ("No verified plan at {values}; at {at}: {why}.",
                            "{values}에서 검증된 계획 없음; {at}에서: {why}."),
    "sweep.story.no_plan_one": ("No verified plan at {at}: {why}.", "{at}에서 검증된 계획 없음: {why}."),
    "sweep.infeasible": ("infeasible: no plan meets this limit with the others",
                         "실행 불가: 이 한도와 다른 한도를 함께 지키는 계획이 없음"),
    # A Policy cell a point's diagnosis names whose value in force is the sweep's, not the one the cell shows:
    # in place of its value (the console's diagnosis), or after what it must become (a report's note).
    "sweep.set": ("set to {value} by the sweep ({held})", "스윕이 {value_to} 설정 ({held})"),
    "sweep.set.note": (" (set to {value} by the sweep; {held})", " (스윕이 {value_to} 설정; {held})"),
    "sweep.held": ("the cell holds {value}", "셀 값은 {value}"),
    "sweep.held.blank": ("the cell is blank", "셀은 공란"),
    "sweep.story.same": ("The tightest and the loosest plan buy the same.", "가장 엄격한 계획과 가장 느슨한 계획의 구매가 같습니다."),
    "sweep.sec.points": ("Every point", "모든 점"),
    "sweep.sec.cost": ("Cost against the limit", "한도에 따른 비용"),
    "sweep.sec.minerals": ("Which minerals pay", "어느 광물이 비용을 치르나"),
    "sweep.sec.china": ("China share in {year}", "{year}년 중국 의존도"),
    "sweep.sec.sr": ("Supply risk in {year}", "{year}년 공급위험"),
    "sweep.sec.story": ("Who replaces whom: {tight} against {loose}", "누가 누구를 대체하나: {tight} 대 {loose}"),
    "sweep.col.cost_m": ("total cost (USD M)", "총비용 (USD M)"),
    "sweep.col.step": ("step", "단계"),
    "sweep.col.marginal": ("marginal cost per {per} (USD M)", "{per}당 한계비용 (USD M)"),
    "sweep.col.binds": ("{limit} binds (mineral-years)", "{limit} 구속 (광물·연도)"),
    "sweep.col.instead": ("binds instead", "대신 구속되는 한도"),
    "sweep.col.note": ("note", "비고"),
    "sweep.instead.note": ("Where the plan sits inside the {limit} (it does not bind), another limit at its own limit "
                           "is doing the work: the curve is flat there because of it, not because the {limit} is free.",
                           "계획이 {limit} 안쪽에 있는 곳(구속되지 않음)에서는 자기 한도에 닿은 다른 한도가 대신 역할을 합니다: "
                           "그곳에서 곡선이 평평한 것은 그 때문이지 {limit_subject} 공짜여서가 아닙니다."),
    "sweep.chart.cost": ("Total cost against the {limit} (USD M of {price_year}, present value)",
                         "{limit}에 따른 총비용 ({price_year}년 가격 USD M, 현재가치)"),
    "sweep.axis.days": ("{limit} (days)", "{limit} (일)"),
    "sweep.axis.usd": ("USD M (present value)", "USD M (현재가치)"),
    "sweep.axis.per": ("USD M per point", "USD M/포인트"),
    "sweep.axis.steps": ("{limit}, from one point to the next", "{limit}, 한 점에서 다음 점으로"),
    "sweep.chart.marginal": ("Marginal cost of tightening, per {per}", "강화 시 {per}당 한계비용"),
    "sweep.chart.by_mineral": ("Marginal cost by mineral, per {per}", "광물별 {per}당 한계비용"),
    "sweep.chart.china": ("China share of {basis} in {year} at each point", "점별 {year}년 중국 의존도 ({basis} 기준)"),
    "sweep.chart.sr": ("EU supply risk for Korea's sourcing in {year} at each point (higher stage)",
                       "점별 {year}년 한국 조달의 EU 공급위험 지수 (높은 단계)"),
    "sweep.series.cost": ("cost of the plan found", "찾은 계획의 비용"),
    "sweep.series.bound": ("lower bound (no plan can cost less)", "하한 (이보다 싼 계획은 없음)"),
    "sweep.series.marginal": ("significant: beyond its two plans' proven gaps",
                              "유의함: 두 계획의 증명된 최적성 차이 초과"),
    "sweep.series.marginal_ns": ("not significant: within its two plans' proven gaps",
                                 "유의하지 않음: 두 계획의 증명된 최적성 차이 이내"),
    # The marginal-cost chart's bar: the step from one point to its neighbour.
    "sweep.step": ("{a} \u2192 {b}", "{a} \u2192 {b}"),
    # Instead of a marginal-cost chart with nothing to show.
    "sweep.chart.no_step": ("No two neighbouring points both have a verified plan: no step has a marginal cost.",
                            "이웃한 두 점 모두에 검증된 계획이 있는 경우가 없어 한계비용을 구할 단계가 없습니다."),
    "sweep.chart.none_significant": (
        "No step changes the cost by more than its two plans' proven gaps together: each marginal cost found is "
        "the solver's tolerance, not a price of the limit (each is in the table of points).",
        "어느 단계도 두 계획의 증명된 최적성 차이 합보다 비용을 더 바꾸지 않습니다. 찾은 한계비용은 모두 한도의 "
        "가격이 아니라 풀이의 허용오차입니다 (각 값은 점별 표에 있습니다)."),
})


# ---- stress and hedged plans ------------------------------------------------------------------------------
HEADS_RES = {
    "disruption_name": "공급 차질", "disruption_scenario": "공급 차질 시나리오", "event": "사건", "probability": "확률",
    "probability_cell": "확률 셀", "range_figure": "항목",
    "minerals_hit": "영향 광물", "lost_t_all": "손실 물량 (t)", "disruption_unmet_t": "미충족 (t)",
    "disruption_cost_usd": "비용 (USD)", "crisis_years": "위기 연도", "lost_t": "손실 물량 (t)",
    "lost_days": "손실 (수요 일수)", "spot_t": "현물 구매 (t)", "recycling_t": "추가 재자원화 (t)",
    "released_stock_t": "비축 방출 (t)", "agreements_t": "협정 요청 (t)", "unmet_share": "미충족 비율",
    "stock_back_by": "비축 복구 연도", "days_to_rebuild": "복구 일수", "expected_lost_output_still_usd": "남는 생산 손실 (USD)",
    "avoided_by_stock_usd": "비축이 막은 손실 (USD)", "avoided_by_lines_usd": "협정이 막은 손실 (USD)",
    "avoided_by_second_sources_usd": "대체 공급처가 막은 손실 (USD)", "avoided_by_recycling_usd": "재자원화가 막은 손실 (USD)",
    "stock_cost_usd": "비축 비용 (USD)", "avoided_per_usd_of_stock": "비축 1 USD당 막은 손실",
    "lines_cost_usd": "협정 수수료 (USD)", "avoided_per_usd_of_lines": "수수료 1 USD당 막은 손실", "figure": "항목",
    "value_usd": "값 (USD)", "low_usd": "하한 (USD)", "high_usd": "상한 (USD)", "range_significant": "유의함",
    "what_it_is": "정의", "least_cost_usd": "최소비용 (USD)", "hedged_expected_usd": "헤지 기대비용 RP (USD)",
    "expected_value_plan_usd": "평균 시나리오 계획 EEV (USD)", "wait_and_see_usd": "사후 최적 WS (USD)",
    "vss_usd": "VSS (USD)", "evpi_usd": "EVPI (USD)", "difference_decision": "결정", "difference_item": "항목",
    "difference_least_cost": "최소비용 계획", "hedged": "헤지 계획", "decision_unit": "단위", "why": "이유",
    "binding_decision": "결정", "binding_item": "항목", "years": "연도", "binding_limit": "한도",
    "binding_cell": "셀", "least_cost_too": "최소비용 계획도", "sampled_event": "사건",
    "least_cost_plan_usd": "최소비용 계획 비용 (USD)", "hedged_plan_usd": "헤지 계획 비용 (USD)",
    "least_cost_unmet_t": "최소비용 계획 미충족 (t)", "hedged_unmet_t": "헤지 계획 미충족 (t)",
}
HEAD_IDS.update({"disruption_name": "disruption", "disruption_scenario": "scenario", "probability_cell": "cell",
                 "lost_t_all": "lost_t", "range_figure": "figure",
                 "disruption_unmet_t": "unmet_t", "disruption_cost_usd": "cost_usd", "released_stock_t": "stock_t",
                 "expected_lost_output_still_usd": "expected_lost_output_usd", "range_significant": "significant",
                 "difference_decision": "decision", "difference_item": "item", "difference_least_cost": "least_cost",
                 "decision_unit": "unit", "binding_decision": "decision", "binding_item": "item",
                 "binding_limit": "limit", "binding_cell": "cell", "sampled_event": "event"})
CATALOGUE.update({f"head.{key}": (HEAD_IDS.get(key, key), ko) for key, ko in HEADS_RES.items()})
CATALOGUE.update({f"note.{key}": texts for key, texts in {
    "disruption_name": ("The disruption in words: its description on the Disruptions (or Disruption risks) sheet, "
                        "or its name, and the year it starts", "공급 차질의 설명: Disruptions (또는 Disruption risks) "
                        "시트의 설명이나 이름과 시작 연도"),
    "range_figure": ("What is measured, in words (the .json gives it by its id: value_of_hedging, vss, evpi, "
                     "agreement <id> value)", "측정 항목 (.json에는 ID로 기록)"),
    "disruption_scenario": ("Disruption scenario (event, and start year for per-year events)",
                            "공급 차질 시나리오 (사건과, 연도별 사건이면 시작 연도)"),
    "event": ("Disruptions sheet name", "Disruptions 시트의 이름"),
    "probability": ("Its probability (an assumption)", "확률 (가정)"),
    "probability_cell": ("The Disruptions cell its probability comes from", "확률이 나온 Disruptions 셀"),
    "minerals_hit": ("Minerals that lose tonnes", "물량을 잃는 광물"),
    "lost_t_all": ("Planned tonnes that do not arrive, all minerals (t)", "도착하지 않는 계획 물량, 전체 광물 (t)"),
    "disruption_unmet_t": ("Demand left unmet, at the shortage cost (t)", "충족되지 못한 수요, 부족 비용 부과 (t)"),
    "disruption_cost_usd": ("What the disruption adds to the plan's cost, present value (USD): spot premiums, extra "
                            "recycling, rebuilding the stock and giving back calls, shortage costs, less the lost "
                            "tonnes not paid for",
                            "공급 차질이 계획 비용에 더하는 금액, 현재가치 (USD): 현물 할증, 추가 재자원화, 비축 복구와 요청분 "
                            "반환, 부족 비용에서 받지 못한 물량의 대금을 뺀 값"),
    "crisis_years": ("Years tonnes are lost", "물량을 잃는 연도"),
    "lost_t": ("Planned tonnes that do not arrive (t)", "도착하지 않는 계획 물량 (t)"),
    "lost_days": ("The lost tonnes in days of those years' demand", "손실 물량을 그해 수요 일수로 환산"),
    "spot_t": ("Bought spot from spare capacity, at the crisis price (t)", "위기 가격으로 여유 능력에서 산 현물 (t)"),
    "recycling_t": ("Extra recycling from modules online and unused feedstock (t)",
                    "가동 중인 모듈과 남는 원료로 추가 재자원화 (t)"),
    "released_stock_t": ("Released from the public stock (t)", "공공 비축에서 방출 (t)"),
    "agreements_t": ("Called on swap lines and joint stocks whose partners are not hit (t)",
                     "영향받지 않은 상대국의 스와프·공동비축에 요청한 물량 (t)"),
    "unmet_share": ("unmet / lost", "미충족 ÷ 손실"),
    "stock_back_by": ("Year by which the stock drawn is bought back and every call given back: the crisis's last year + "
                      "Settings rebuild_years (blank: after the last year)",
                      "방출한 비축을 다시 사고 요청분을 돌려주는 연도: 위기 마지막 해 + 설정 rebuild_years (공란: 마지막 해 "
                      "이후)"),
    "days_to_rebuild": ("Days from the end of the crisis until then; the model is yearly, so whole years x 365 (0: "
                        "nothing drawn)", "위기 종료부터 그때까지의 일수; 연 단위 모형이라 연수 × 365 (0: 방출 없음)"),
    "expected_lost_output_still_usd": ("Expected output still lost with this plan: unmet tonnes on the Shortage costs "
                                       "curve, present value", "이 계획으로도 남는 기대 생산 손실: 미충족 물량을 부족 비용 "
                                       "곡선으로 평가, 현재가치"),
    "avoided_by_stock_usd": ("Expected lost output avoided by releases from the stock", "비축 방출이 막은 기대 생산 손실"),
    "avoided_by_lines_usd": ("... by calls on swap lines and joint stocks", "... 스와프와 공동비축 요청이 막은 손실"),
    "avoided_by_second_sources_usd": ("... by spot purchases from other suppliers' spare capacity",
                                      "... 다른 공급처 여유 능력의 현물 구매가 막은 손실"),
    "avoided_by_recycling_usd": ("... by extra recycling in the crisis", "... 위기 중 추가 재자원화가 막은 손실"),
    "stock_cost_usd": ("The plan's cost of holding the stock (holding, purchase premium), present value",
                       "계획의 비축 보유 비용 (보관비, 구매 할증), 현재가치"),
    "avoided_per_usd_of_stock": ("Lost output the stock avoids per USD it costs (blank: it costs nothing)",
                                 "비축 비용 1 USD당 막은 생산 손실 (공란: 비용 없음)"),
    "lines_cost_usd": ("The agreements' fees, present value", "협정 수수료, 현재가치"),
    "avoided_per_usd_of_lines": ("Lost output the lines avoid per USD of fees (blank: no fees)",
                                 "수수료 1 USD당 협정이 막은 생산 손실 (공란: 수수료 없음)"),
    "figure": ("What is measured (the .json's id)", "측정 항목 (.json의 ID)"),
    "value_usd": ("Its value for the plans found (USD)", "찾은 계획의 값 (USD)"),
    "low_usd": ("Lowest value the solver's bounds allow (USD)", "풀이 하한이 허용하는 최솟값 (USD)"),
    "high_usd": ("Highest value the solver's bounds allow (USD)", "풀이 하한이 허용하는 최댓값 (USD)"),
    "range_significant": ("no: the range holds 0, so the figure may be the solver's gap alone",
                          "유의하지 않음: 범위가 0을 포함하므로 풀이의 최적성 차이일 수 있음"),
    "what_it_is": ("Definition", "정의"),
    "least_cost_usd": ("Least-cost plan's cost, no disruption (USD)", "공급 차질이 없을 때 최소비용 계획의 비용 (USD)"),
    "hedged_expected_usd": ("RP: the expected cost of the hedged plan presented (the Hedge sheet's), its part for this "
                            "mineral (USD)", "RP: 제시한 헤지 계획의 기대비용 중 이 광물 몫 (USD)"),
    "expected_value_plan_usd": ("EEV: the mean-disruption plan's expected cost (USD)",
                                "EEV: 평균 공급 차질로 세운 계획의 기대비용 (USD)"),
    "wait_and_see_usd": ("WS: expected cost with each disruption known in advance (USD)",
                         "WS: 각 공급 차질을 미리 알 때의 기대비용 (USD)"),
    "vss_usd": ("EEV - RP", "EEV - RP"),
    "evpi_usd": ("RP - WS", "RP - WS"),
    "difference_decision": ("stock, line, purchases, recycling or refining modules",
                            "비축, 협정 물량, 구매, 재자원화 또는 정제·제련 모듈"),
    "difference_item": ("mineral, agreement, supplier or recycling option (its id)",
                        "광물, 협정, 공급처 또는 재자원화 옵션 (ID)"),
    "difference_least_cost": ("The least-cost plan's value", "최소비용 계획의 값"),
    "hedged": ("The hedged plan's", "헤지 계획의 값"),
    "decision_unit": ("Unit", "단위"),
    "why": ("What it does in the disruptions (hedged plan)", "공급 차질에서 하는 역할 (헤지 계획)"),
    "binding_decision": ("stock, line or purchases", "비축, 협정 물량 또는 구매"),
    "binding_item": ("mineral, agreement or supplier (its id)", "광물, 협정 또는 공급처 (ID)"),
    "years": ("Years the hedged plan sits at the limit", "헤지 계획이 한도에 닿은 연도"),
    "binding_limit": ("The limit", "한도"),
    "binding_cell": ("Workbook cell that sets it", "한도를 정하는 워크북 셀"),
    "least_cost_too": ("yes: the least-cost plan sits there too", "예: 최소비용 계획도 한도에 닿음"),
    "sampled_event": ("Disruptions sheet name, or for a sampled scenario its stops: risk@start year+days",
                      "Disruptions 시트의 이름, 또는 표본 시나리오면 중단 내역: 위험@시작 연도+일수"),
    "least_cost_plan_usd": ("Its cost to the least-cost plan (USD)", "최소비용 계획에 대한 비용 (USD)"),
    "hedged_plan_usd": ("Its cost to the hedged plan (USD)", "헤지 계획에 대한 비용 (USD)"),
    "least_cost_unmet_t": ("Unmet tonnes, least-cost plan", "미충족 물량, 최소비용 계획"),
    "hedged_unmet_t": ("Unmet tonnes, hedged plan", "미충족 물량, 헤지 계획"),
}.items()})
CATALOGUE.update({
    # Once 'Cover': a reader took the coalition workbook's 525-row table for its cover page.
    "sheet.losses_covered": ("Losses covered", "대응"),
    "sheet.protection": ("Protection", "보호 효과"),
    "sheet.hedge": ("Hedge", "헤지"),
    "sheet.hedge_values": ("Hedge values", "헤지 가치"),
    "sheet.differences": ("Differences", "차이"),
    "sheet.binding": ("Binding", "한도 도달"),
    "sheet.values_by_mineral": ("Values by mineral", "광물별 가치"),
    "res.title.stress": ("Stress test: {workbook}", "스트레스 테스트: {workbook}"),
    "res.title.hedged": ("Hedged plan: {workbook}", "헤지 계획: {workbook}"),
    "res.subtitle": ("{workbook}: decisions {first}-{last}, {currency} of {price_year}, present value at the start of "
                     "{first}; {solved} and verified with every scenario; input SHA-256 {sha}",
                     "{workbook}: 의사결정 기간 {first}-{last}, {price_year}년 가격 {currency}, {first}년 초 현재가치; "
                     "{solved}, 모든 시나리오로 검증; 입력 SHA-256 {sha}"),
    "res.solved": ("solved to a {gap} gap", "최적성 차이 {gap}까지 풂"),
    "res.solved_ph": ("the least-cost plan {solved}, the hedged plan by mpi-sppy (extensive forms by block, or "
                      "Progressive Hedging) proven within a {ph} gap", "최소비용 계획은 {solved}, 헤지 계획은 "
                      "mpi-sppy(블록별 확장형 또는 Progressive Hedging)로 최적성 차이 {ph} 이내 증명"),
    "res.plan.least_cost": ("Least-cost plan", "최소비용 계획"),
    "res.plan.hedged": ("Hedged plan", "헤지 계획"),
    "res.fig.first_stage": ("The plan's cost if no disruption happens (verified)", "공급 차질이 없을 때 계획의 비용 (검증됨)"),
    "res.fig.expected_disruption": ("Σ probability × disruption cost", "Σ 확률 × 공급 차질 비용"),
    "res.fig.expected_total": ("cost if nothing happens + expected disruption cost", "평시 비용 + 기대 공급 차질 비용"),
    "res.fig.cvar": ("Average disruption cost over the costliest {tail} of outcomes (CVaR at level {level}; no "
                     "disruption counts as an outcome of cost 0)",
                     "가장 비싼 {tail} 결과의 평균 공급 차질 비용 (수준 {level}의 CVaR; 공급 차질 없음은 비용 0인 결과)"),
    "res.fig.worst": ("The scenario whose disruption cost is the largest", "공급 차질 비용이 가장 큰 시나리오"),
    "res.fig.worst_cost": ("That scenario's disruption cost", "그 시나리오의 공급 차질 비용"),
    "res.fig.calm": ("1 - Σ probabilities", "1 - Σ 확률"),
    # The figures' names on the Summary (stress) and Hedge sheets, with the unit their values are shown in.
    "res.figname.first_stage_cost_usd": ("Cost if nothing happens (USD M)", "평시 비용 (USD M)"),
    "res.figname.expected_disruption_cost_usd": ("Expected disruption cost (USD M)", "기대 공급 차질 비용 (USD M)"),
    "res.figname.expected_total_cost_usd": ("Expected total cost (USD M)", "기대 총비용 (USD M)"),
    "res.figname.cvar": ("CVaR {level} of the disruption cost (USD M)", "공급 차질 비용의 조건부 위험가치 CVaR {level} (USD M)"),
    "res.figname.worst_scenario": ("Costliest disruption", "가장 비싼 공급 차질"),
    "res.figname.worst_cost_usd": ("Costliest disruption's cost (USD M)", "가장 비싼 공급 차질의 비용 (USD M)"),
    "res.figname.probability_no_disruption": ("Probability of no disruption", "공급 차질이 없을 확률"),
    "res.probability_note": ("Probabilities come from the Disruptions sheet, or the Disruption risks sheet for sampled "
                             "scenarios, and are assumptions (see their Sources rows), not forecasts: the expected cost "
                             "and CVaR are only as good as they are.",
                             "확률은 Disruptions 시트(표본 시나리오는 Disruption risks 시트)에서 나온 가정(Sources 행 참조)이지 "
                             "예측이 아닙니다: 기대비용과 CVaR의 신뢰도는 확률의 신뢰도만큼입니다."),
    "res.assume.size": ("Each event stops the share of each hit option's planned tonnes that the Disruptions sheet "
                        "gives, in the years it gives; the tonnes lost below are that size against this plan.",
                        "각 사건은 Disruptions 시트가 정한 연도에, 영향받는 공급처 계획 물량의 정해진 비율을 멈춥니다; 아래 손실 "
                        "물량이 이 계획에 대한 사건의 크기입니다."),
    # A sampled run's scenarios are draws, not the Disruptions sheet's events (with --mix, both).
    "res.assume.size_sampled": ("Each scenario is one of the equally likely draws from the Disruption risks sheet: in "
                                "each year each risk starts a stop or not, at its annual probability, lasting a "
                                "number of days drawn between its shortest and longest; a stop takes the share of "
                                "each hit option's planned tonnes the sheet gives, and different risks are drawn "
                                "independently (a simplification: real controls can come together).",
                                "각 시나리오는 Disruption risks 시트에서 같은 확률로 뽑은 표본입니다: 해마다 각 위험이 "
                                "연간 확률로 공급 중단을 시작하거나 시작하지 않으며, 중단 기간은 최단·최장 일수 사이에서 "
                                "뽑습니다; 중단은 영향받는 공급처 계획 물량의 정해진 비율을 멈추고, 서로 다른 위험은 "
                                "독립적으로 뽑습니다(단순화: 실제 수출통제는 함께 올 수 있음)."),
    "res.assume.size_mixed": ("The Disruptions sheet's events keep their probabilities, each stopping the share of "
                              "each hit option's planned tonnes that sheet gives, in the years it gives; the draws "
                              "from the Disruption risks sheet share the rest equally: in each year each risk starts "
                              "a stop or not, at its annual probability, lasting a number of days drawn between its "
                              "shortest and longest, and different risks are drawn independently (a simplification: "
                              "real controls can come together).",
                              "Disruptions 시트의 사건은 그 확률을 유지하며, 그 시트가 정한 연도에 영향받는 공급처 계획 "
                              "물량의 정해진 비율을 멈춥니다; Disruption risks 시트에서 뽑은 표본은 나머지 확률을 똑같이 "
                              "나눕니다: 해마다 각 위험이 연간 확률로 공급 중단을 시작하거나 시작하지 않으며, 중단 기간은 "
                              "최단·최장 일수 사이에서 뽑고, 서로 다른 위험은 독립적으로 뽑습니다(단순화: 실제 수출통제는 "
                              "함께 올 수 있음)."),
    "res.assume.foresight": ("The plan is decided without knowing which event comes; each event then meets it with its "
                             "stock, agreement lines, spot purchases at the crisis price and extra recycling.",
                             "계획은 어떤 사건이 올지 모른 채 결정되고, 각 사건은 계획의 비축·협정 물량·위기 가격의 현물 구매·추가 "
                             "재자원화로 대응합니다."),
    "res.assume.rebuild": ("A crisis draws at most the planned end-of-year stock, and drawn stock is bought back within "
                           "{years} year{years_s} (Settings rebuild_years) at the price of its year.",
                           "위기 때 방출은 계획된 연말 비축량까지이며, 방출한 비축은 {years}년 안에(설정 rebuild_years) 그해 "
                           "가격으로 다시 삽니다."),
    "res.stress.sheet_title": ("The least-cost plan under each disruption", "공급 차질별 최소비용 계획"),
    "res.stress.story": ("Held to the least-cost plan's contracts, stock and agreements, the {n} disruption scenarios "
                         "add {expected} to its cost in expectation (present value), and {cvar} on average over the "
                         "worst {tail} of outcomes (CVaR).",
                         "최소비용 계획의 계약·비축·협정을 유지할 때 공급 차질 시나리오 {n}개는 비용을 기대값으로 "
                         "{expected}(현재가치), 최악 {tail} 결과 평균으로 {cvar}(CVaR) 늘립니다."),
    "res.stress.worst": ("The costliest is {scenario} (probability {probability}): {usd}, {lost} lost of which {unmet} "
                         "go unmet.", "가장 비싼 것은 {scenario}(확률 {probability}): {usd}, 손실 {lost} 중 {unmet} 미충족."),
    "res.chart.cost": ("Disruption cost, the {n} costliest scenarios (USD M, present value)",
                       "공급 차질 비용, 가장 비싼 시나리오 {n}개 (USD M, 현재가치)"),
    "res.page_cut": ("The {n} costliest of {of} scenario{of_s}, costliest first; the workbook lists them all.",
                     "시나리오 {of}개 중 가장 비싼 {n}개 (비싼 순서); 워크북에 모두 있습니다."),
    "res.sec.cost": ("What each disruption costs the plan", "공급 차질별 계획 비용"),
    "res.sec.cover": ("How the lost tonnes were covered", "손실 물량의 대응"),
    "res.sec.protection": ("What protection buys, per mineral", "광물별 보호 효과"),
    "res.cover.note": ("Back by: the year by which the stock drawn is bought back and every swap call given back "
                       "(Settings rebuild_years after the crisis); the model is yearly.",
                       "복구 연도: 방출한 비축을 다시 사고 스와프 요청분을 돌려주는 연도 (위기 후 설정 rebuild_years); 연 단위 "
                       "모형입니다."),
    "res.col.probability": ("probability", "확률"),
    "res.col.cell": ("cell", "셀"),
    "res.cell_once": ("Every scenario's probability: {cell} (equally likely draws).",
                      "모든 시나리오의 확률: {cell} (같은 확률의 표본)."),
    "res.col.hit": ("minerals hit", "영향 광물"),
    "res.col.lost": ("lost (t)", "손실 (t)"),
    "res.col.unmet": ("unmet (t)", "미충족 (t)"),
    "res.col.cost": ("cost (USD M)", "비용 (USD M)"),
    "res.col.crisis_years": ("crisis years", "위기 연도"),
    "res.col.lost_days": ("days of demand", "수요 일수"),
    "res.col.spot": ("spot (t)", "현물 (t)"),
    "res.col.recycling": ("recycling (t)", "재자원화 (t)"),
    "res.col.stock": ("stock (t)", "비축 (t)"),
    "res.col.agreements": ("agreements (t)", "협정 (t)"),
    "res.col.back_by": ("stock back by", "비축 복구 연도"),
    "res.back_after": ("after {last}", "{last}년 이후"),
    "res.col.figure": ("figure", "항목"),
    "res.col.significant": ("significant", "유의함"),
    "res.col.what": ("what it is", "설명"),
    "res.col.least_cost_m": ("least cost (USD M)", "최소비용 (USD M)"),
    "res.col.rp": ("hedged plan, expected cost (RP, USD M)", "헤지 계획의 기대비용 (RP, USD M)"),
    "res.col.eev": ("plan for the average disruption, expected cost (EEV, USD M)",
                    "평균 공급 차질로 세운 계획의 기대비용 (EEV, USD M)"),
    "res.col.ws": ("each disruption known in advance, expected cost (WS, USD M)",
                   "공급 차질을 미리 알 때의 기대비용 (WS, USD M)"),
    "res.col.vss_m": ("value of the stochastic solution (VSS, USD M)", "확률적 해의 가치 (VSS, USD M)"),
    "res.col.evpi_m": ("expected value of perfect information (EVPI, USD M)", "완전정보의 기대가치 (EVPI, USD M)"),
    "res.col.value_m": ("value (USD M)", "값 (USD M)"),
    "res.col.low_m": ("low (USD M)", "하한 (USD M)"),
    "res.col.high_m": ("high (USD M)", "상한 (USD M)"),
    "res.col.disruption": ("disruption", "공급 차질"),
    "res.col.scenario_id": ("scenario (id)", "시나리오 (ID)"),
    "res.col.cost_least": ("least-cost plan (USD M)", "최소비용 계획 (USD M)"),
    "res.col.cost_hedged": ("hedged plan (USD M)", "헤지 계획 (USD M)"),
    "res.col.unmet_least": ("unmet, least-cost (t)", "미충족, 최소비용 (t)"),
    "res.col.unmet_hedged": ("unmet, hedged (t)", "미충족, 헤지 (t)"),
    "res.col.decision": ("decision", "결정"),
    "res.col.item": ("item", "항목"),
    "res.col.year": ("year", "연도"),
    "res.col.least_cost": ("least-cost", "최소비용"),
    "res.col.hedged": ("hedged", "헤지"),
    "res.col.unit": ("unit", "단위"),
    "res.col.why": ("why", "이유"),
    "res.col.years": ("years", "연도"),
    "res.col.limit": ("limit", "한도"),
    "res.col.too": ("least-cost plan too", "최소비용 계획도"),
    "res.protect.still": ("still lost (USD M)", "남는 손실 (USD M)"),
    "res.protect.stock": ("avoided by stock (USD M)", "비축이 막은 손실 (USD M)"),
    "res.protect.lines": ("avoided by lines (USD M)", "협정이 막은 손실 (USD M)"),
    "res.protect.spot": ("avoided by second sources (USD M)", "대체 공급처가 막은 손실 (USD M)"),
    "res.protect.recycling": ("avoided by recycling (USD M)", "재자원화가 막은 손실 (USD M)"),
    "res.protect.stock_cost": ("stock cost (USD M)", "비축 비용 (USD M)"),
    "res.protect.per_stock": ("per USD of stock (average)", "비축 1 USD당 (평균)"),
    "res.protect.fees": ("fees (USD M)", "수수료 (USD M)"),
    "res.protect.per_fee": ("per USD of fees (average)", "수수료 1 USD당 (평균)"),
    "res.protect.none": ("No disruption hits this plan's minerals.", "이 계획의 광물에 닿는 공급 차질이 없습니다."),
    "res.protect.note": ("What protection buys: in each crisis year the tonnes lost would, all unmet, cost f(lost) on "
                         "the mineral's shortage cost curve; f(lost) - f(unmet) is the lost output avoided, shared "
                         "among stock, lines, second sources and recycling in proportion to the tonnes each replaced "
                         "(an attribution, averaged over all the plan's stock; planner stockpile solves the plan without the "
                         "mandate's floor and gives the margin of the mandate's extra stock). Expected over the "
                         "scenarios, present value.",
                         "보호 효과: 위기 연도마다 손실 물량이 모두 미충족이면 광물의 부족 비용 곡선에서 f(손실)의 비용이 "
                         "듭니다; f(손실) - f(미충족)이 막은 생산 손실이며, 비축·협정·대체 공급처·재자원화가 대체한 물량 "
                         "비율로 나눕니다 (귀속 계산, 계획의 전체 비축에 대한 평균; 의무 비축 하한 없는 계획과 의무 비축 추가분의 한계 효과는 "
                         "planner stockpile이 풉니다). 시나리오 기대값, "
                         "현재가치."),
    "res.range_holds_0": ("no: the range holds 0", "유의하지 않음: 범위가 0을 포함"),
    "res.not_computed": ("not computed", "계산하지 않음"),
    "res.needed": ("needed: the Policy cannot be met without it (proven infeasible)",
                   "필수: 없으면 정책을 지킬 수 없음 (실행 불가 증명)"),
    "res.what.hedging": ("Hedged objective of the least-cost plan minus that of the hedged plan: what deciding before "
                         "the disruptions, knowing they may come, saves",
                         "최소비용 계획과 헤지 계획의 헤지 목적값 차이: 공급 차질이 올 수 있음을 알고 미리 결정해 아끼는 금액"),
    "res.what.vss": ("Value of the stochastic solution: expected cost of the plan decided for the average disruption "
                     "(EEV) minus the hedged plan's (RP), risk-neutral",
                     "확률적 해의 가치(VSS): 평균 공급 차질로 세운 계획의 기대비용(EEV) - 헤지 계획의 기대비용(RP), 위험 중립"),
    "res.what.evpi": ("Expected value of perfect information: the hedged plan's expected cost minus that of plans made "
                      "knowing which disruption comes (WS), risk-neutral",
                      "완전정보의 기대가치(EVPI): 헤지 계획의 기대비용 - 어떤 공급 차질이 올지 알고 세운 계획의 기대비용(WS), "
                      "위험 중립"),
    "res.what.agreement": ("Expected cost of the hedged plan without this agreement minus with it (its worth as "
                           "stockpile cover included)", "이 협정이 없을 때와 있을 때 헤지 계획의 기대비용 차이 (비축일수로서의 "
                           "가치 포함)"),
    # With another engine the agreement values are the embedded engine's (the presented plan is not re-decided).
    "res.agreements_by_embedded": ("the embedded engine's (HiGHS, extensive form): its hedged plan's expected cost "
                                   "without the agreement minus with it, as the presented plan is not re-decided "
                                   "without it", "내장 엔진(HiGHS, 확장형)의 값: 제시된 계획은 협정 없이 다시 정하지 "
                                   "않으므로, 내장 엔진의 헤지 계획에서 협정이 없을 때와 있을 때의 기대비용 차이"),
    "res.decision.stock": ("stock", "비축"),
    "res.decision.line": ("line", "협정 물량"),
    "res.decision.purchases": ("purchases", "구매"),
    "res.decision.recycling_modules": ("recycling modules", "재자원화 모듈"),
    "res.decision.refining_modules": ("refining modules", "정제·제련 모듈"),
    # A rise of cover or modules, by the disruptions that draw, call or run them in the row's year (a crisis draws
    # the stock held at the end of its year); none as '0 of', which reads for one disruption too ('by any of the 1
    # disruption' did not).
    "res.why.stock": ("drawn in {year} by {n} of {of} disruption{of_s} of {mineral}; {t} expected that year",
                      "{year}년에 {mineral} 공급 차질 {of}개 중 {n}개에서 방출; 그해 기대 {t}"),
    "res.why.stock_none": ("not drawn in {year} (0 of {of} disruption{of_s} of {mineral})",
                           "{year}년에는 {mineral} 공급 차질 {of}개 중 어느 것에서도 방출하지 않음"),
    "res.why.stock_later": ("not drawn in {year}; held into later years, drawn then by {n} of {of} "
                            "disruption{of_s} of {mineral}",
                            "{year}년에는 방출하지 않음; 이후 연도로 보유해 {mineral} 공급 차질 {of}개 중 {n}개에서 "
                            "방출"),
    "res.why.line": ("called in {year} by {n} of {of} disruption{of_s} of {mineral}; {t} expected that year",
                     "{year}년에 {mineral} 공급 차질 {of}개 중 {n}개에서 요청; 그해 기대 {t}"),
    "res.why.line_none": ("not called in {year} (0 of {of} disruption{of_s} of {mineral})",
                          "{year}년에는 {mineral} 공급 차질 {of}개 중 어느 것에서도 요청하지 않음"),
    "res.why.line_later": ("not called in {year}; held into later years, called then by {n} of {of} "
                           "disruption{of_s} of {mineral}",
                           "{year}년에는 요청하지 않음; 이후 연도로 유지해 {mineral} 공급 차질 {of}개 중 {n}개에서 "
                           "요청"),
    # A cut (resilience_report._cut): what the hedged plan holds or buys instead in the same year, or, where it
    # has nothing more, only what changed.  Of stock or of a line:
    "res.why.instead": ("{t} less, held instead as {held}", "{t} 감소, 대신 {held_to} 보유"),
    "res.why.instead_line": ("the {name} line ({t})", "{name} 협정 물량({t})"),
    "res.why.instead_stock": ("stock ({t})", "비축({t})"),
    "res.why.less": ("{t} less than the least-cost plan holds", "최소비용 계획보다 {t} 적게 보유"),
    # Of purchases, and of recycling or refining modules (the tonnes they would make are bought):
    "res.why.bought_instead": ("{t} less, bought instead from {held}", "{t} 감소, 대신 {held}에서 구매"),
    "res.why.instead_purchases": ("{name} ({t})", "{name}({t})"),
    "res.why.bought_less": ("{t} less than the least-cost plan buys", "최소비용 계획보다 {t} 적게 구매"),
    "res.why.modules_instead": ("{t} fewer online, bought instead from {held}",
                                "가동 {t} 감소, 대신 {held}에서 구매"),
    "res.why.modules_less": ("{t} fewer online than in the least-cost plan", "최소비용 계획보다 가동 {t} 적음"),
    "res.why.modules": ("extra recycling in {year} in {n} of {of} disruption{of_s} of {mineral}; {t} expected that "
                        "year", "{year}년에 {mineral} 공급 차질 {of}개 중 {n}개에서 추가 재자원화; 그해 기대 {t}"),
    "res.why.modules_none": ("no extra recycling in {year} (0 of {of} disruption{of_s} of {mineral})",
                             "{year}년에는 {mineral} 공급 차질 {of}개 중 어느 것에서도 추가 재자원화 없음"),
    "res.why.refining": ("refining at home; {of} disruption{of_s} of {mineral}",
                         "국내 정제·제련; {mineral} 공급 차질 {of}개"),
    "res.why.purchases": ("hit in {year} by {n} of {of} disruption{of_s} of {mineral}",
                          "{year}년에 {mineral} 공급 차질 {of}개 중 {n}개의 영향을 받음"),
    "res.why.purchases_none": ("not hit in {year} (0 of {of} disruption{of_s} of {mineral})",
                               "{year}년에는 {mineral} 공급 차질 {of}개 중 어느 것의 영향도 받지 않음"),
    "res.why.knock_on": ("no disruption hits {mineral}: a knock-on of the other changes",
                         "{mineral}에 닿는 공급 차질 없음: 다른 변화의 파급"),
    "res.hedge.sheet_title": ("The hedged plan against the least-cost plan", "헤지 계획과 최소비용 계획"),
    "res.hedge.objective": ("Hedged objective: first stage + (1 - {weight}) x expected disruption cost + {weight} x CVaR at "
                            "{level} (Settings cvar_weight, cvar_level).",
                            "헤지 목적값: 1단계 비용 + (1 - {weight}) × 기대 공급 차질 비용 + {weight} × 수준 {level}의 CVaR "
                            "(설정 cvar_weight, cvar_level)."),
    "res.hedge.story": ("Decided against the {n} disruption scenarios, the hedged plan's expected cost is {hedged} "
                        "against {least} for the least-cost plan tested the same way; its CVaR (the {tail} worst "
                        "outcomes) is {cvar} against {cvar_least}. Its cost if nothing happens is {premium}: the "
                        "premium of the insurance.",
                        "공급 차질 시나리오 {n}개에 대비해 결정한 헤지 계획의 기대비용은 {hedged_to}, 같은 방식으로 시험한 "
                        "최소비용 계획의 {least_with} 비교됩니다; CVaR(최악 {tail} 결과)는 {cvar} 대 {cvar_least}. 아무 일도 "
                        "없을 때의 비용 차이는 {premium}: 보험료입니다."),
    "res.hedge.saves": ("Hedging saves {saving}{values}", "헤지로 아끼는 금액 {saving}{values}"),
    "res.hedge.values": ("; VSS {vss}; EVPI {evpi}.", "; VSS {vss}; EVPI {evpi}."),
    # With a CVaR weight the value of hedging is a difference of the hedged objective, not of the expected cost the
    # sentence before gives, and VSS and EVPI are those of the plan hedged with no weight.
    "res.hedge.saves_weighted": ("Hedging saves {saving} on the hedged objective (cost if nothing happens + {rest} x "
                                 "expected disruption cost + {weight} x CVaR {level}; Settings cvar_weight), "
                                 "{expected}{values}",
                                 "헤지로 아끼는 금액은 헤지 목적값(평시 비용 + {rest} × 기대 공급 차질 비용 + {weight} × "
                                 "CVaR {level}; 설정 cvar_weight) 기준 {saving}, {expected}{values}"),
    # what the CVaR-weighted hedge does to expected cost alone: it may raise it, the price of a thinner tail
    "res.hedge.expected_saves": ("{usd} in expected cost alone", "기대비용만으로는 {usd}"),
    "res.hedge.expected_rises": ("though its expected cost is {usd} higher", "기대비용은 오히려 {usd} 높음"),
    "res.hedge.values_neutral": ("; risk-neutral, for the plan hedged with no CVaR weight: VSS {vss}; EVPI {evpi}.",
                                 "; 위험 중립(CVaR 가중치 없이 헤지한 계획의 값): VSS {vss}; EVPI {evpi}."),
    "res.console.on_objective": ("{name} (on the hedged objective, CVaR weight {weight})",
                                 "{name} (헤지 목적값 기준, CVaR 가중치 {weight})"),
    "res.console.risk_neutral": ("{name}, risk-neutral", "{name}, 위험 중립"),
    "res.values_skipped": ("{n} scenarios are more than the {most} they are computed for (EVPI alone solves a model "
                           "per scenario and mineral hit); sample fewer to get them",
                           "시나리오 {n}개는 계산 한도 {most}개보다 많습니다(EVPI만 해도 시나리오와 영향받는 광물마다 "
                           "모형을 하나씩 풉니다); 더 적게 표본추출하면 계산됩니다"),
    "res.hedge.skipped": ("; VSS, EVPI and agreement values were not computed: {why}.",
                          "; VSS, EVPI와 협정 가치는 계산하지 않음: {why}."),
    "res.hedge.differs": ("It differs in: {kinds}.", "차이: {kinds}."),
    "res.range": ("USD {value} M (proven between {low} and {high})", "USD {value} M ({low}~{high} 사이로 증명)"),
    "res.range_shown": ("USD {value} M (proven to the digits shown)", "USD {value} M (표시된 자릿수까지 증명)"),
    "res.not_significant": (", not significant", ", 유의하지 않음"),
    # The console's headline of stress and solve --hedged (resilience_report.console_lines), in the page's words.
    "res.console.tested": ("{plan}: expected cost {expected} = cost if nothing happens {calm} + expected disruption "
                           "cost {disruption}; mean disruption cost of the costliest {tail} of outcomes (CVaR {level}) "
                           "{cvar}; worst: {worst}",
                           "{plan}: 기대비용 {expected} = 평시 비용 {calm} + 기대 공급 차질 비용 {disruption}; 가장 비싼 "
                           "{tail} 결과의 평균 공급 차질 비용(CVaR {level}) {cvar}; 최악: {worst}"),
    "res.console.no_worst": ("none (no scenario stops any supply)", "없음 (공급을 멈추는 시나리오 없음)"),
    "res.console.values_skipped": ("value of the stochastic solution (VSS), expected value of perfect information "
                                   "(EVPI) and agreement values not computed: {why}",
                                   "확률적 해의 가치(VSS), 완전정보의 기대가치(EVPI)와 협정 가치는 계산하지 않음: {why}"),
    "res.same": ("Nothing: the least-cost plan is already the hedged plan.", "없음: 최소비용 계획이 곧 헤지 계획입니다."),
    "res.sec.hedge": ("The hedge in numbers", "수치로 본 헤지"),
    "res.sec.side": ("Disruption cost, least-cost plan against hedged plan", "공급 차질 비용: 최소비용 계획 대 헤지 계획"),
    "res.sec.differs": ("What the hedged plan does differently, and why", "헤지 계획이 다르게 하는 것과 이유"),
    "res.sec.binding": ("Workbook limits the hedged plan presses against", "헤지 계획이 닿는 워크북 한도"),
    "res.sec.cover_hedged": ("How the hedged plan covers each disruption", "헤지 계획의 공급 차질별 대응"),
    "res.sec.protection_hedged": ("What the hedged plan's protection buys, per mineral", "헤지 계획의 광물별 보호 효과"),
    # A disruption as a reader names it (labels.disruption_name): its description's first words, or its
    # name in words (in Korean: the countries and minerals it hits), and when it starts.
    "res.dis.from": ("{name}, from {year}", "{name}, {year}년부터"),
    # A what-if scenario named from its Scenarios rows (labels.what_if_name) where its description cannot.
    "whatif.supply_stop": ("{what} supply stops", "{what} 공급 중단"),
    "whatif.supply_scale": ("{what} supply capacity x{factor}", "{what} 공급 능력 {factor}배"),
    "whatif.price": ("{what} prices x{factor}", "{what} 가격 {factor}배"),
    "whatif.demand": ("{minerals} demand x{factor}", "{minerals} 수요 {factor}배"),
    "whatif.all_minerals": ("All minerals'", "전체 광물"),
    "whatif.policy": ("{minerals}{limit} {value}", "{minerals}{limit} {value}"),
    "whatif.edit": ("{items}: {column} {change}", "{items}: {column} {change}"),
    "whatif.setting": ("Settings {setting}: {change}", "설정 {setting}: {change}"),
    "whatif.span": ("{name}, {first}-{last}", "{name}, {first}-{last}년"),
    "whatif.column.first_year": ("first year of supply", "공급 시작 연도"),
    "whatif.column.last_year": ("last year of supply", "공급 종료 연도"),
    "whatif.column.capacity_t_per_yr": ("supply capacity", "공급 능력"),
    "whatif.column.price_usd_per_t": ("price", "가격"),
    "res.dis.year_first": ("{year}: {name}", "{year}년: {name}"),  # a chart's label, clipped at its end
    "res.dis.supply_stop": ("{where}{minerals} supply stop", "{where}{minerals} 공급 차질"),
    "res.dis.lasting": ("{name} for {duration}", "{name} {duration}간"),  # a name made without a description
    "res.dis.many_minerals": ("{n} minerals", "광물 {n}종"),
    "res.dis.stop": ("{name} from {year} for {days}", "{name} {year}년부터 {days}간"),
    "res.dis.sample": ("Sample {n}: {stops}", "표본 {n}: {stops}"),
    "res.dis.more": ("{n} more", "외 {n}건"),
    "res.fig.value_of_hedging": ("value of hedging", "헤지의 가치"),
    "res.fig.vss": ("value of the stochastic solution (VSS)", "확률적 해의 가치(VSS)"),
    "res.fig.evpi": ("expected value of perfect information (EVPI)", "완전정보의 기대가치(EVPI)"),
    "res.fig.agreement": ("agreement {name}", "협정 {name}"),
})


# ---- planner stockpile ------------------------------------------------------------------------------------
HEADS_STOCK = {
    "risk_based_days": "위험 기반 비축일수", "risk_based_min_days": "위험 기반 최저 (일)", "risk_based_max_days": "위험 기반 최고 (일)",
    "calm_days": "차질 없이도 보유 (일)",
    "mandate_days": "의무 비축일수", "mandate_path_days": "의무 비축 경로 (일)", "mandate_cost_usd": "의무 비축 비용 (USD)",
    "mandate_cost_low_usd": "증명된 하한 (USD)", "mandate_cost_high_usd": "증명된 상한 (USD)", "mandate_significant": "유의함",
    "day_saving_usd": "1일 추가 시 절감액 (USD)", "day_cost_usd": "1일 추가 비용 (USD)",
    "shortfall_probability_mandate": "부족 확률, 의무", "shortfall_probability_risk_based": "부족 확률, 위험 기반",
    "expected_unmet_t_mandate": "기대 미충족, 의무 (t)", "expected_unmet_t_risk_based": "기대 미충족, 위험 기반 (t)",
    "expected_lost_output_usd_mandate": "기대 생산 손실, 의무 (USD)",
    "expected_lost_output_usd_risk_based": "기대 생산 손실, 위험 기반 (USD)",
    "mandate_avoided_per_extra_usd": "의무 추가 비축: 추가 1 USD당 막은 생산 손실",
    "floor_point": "비축 하한", "days_floor": "균일 하한 (일)", "mean_cover_days": "평균 비축일수",
    "first_stage_usd": "평시 비용 (USD)", "expected_disruption_usd": "기대 공급 차질 비용 (USD)",
    "expected_total_usd": "기대 총비용 (USD)", "cvar_usd": "CVaR (USD)", "hedged_objective_usd": "헤지 목적값 (USD)",
    "shortfall_probability": "부족 확률", "expected_unmet_t": "기대 미충족 (t)", "expected_lost_output_usd": "기대 생산 손실 (USD)",
    "floor_plan": "계획",
}
HEAD_IDS.update({"mandate_significant": "significant", "floor_point": "point", "floor_plan": "plan"})
CATALOGUE.update({f"head.{key}": (HEAD_IDS.get(key, key), ko) for key, ko in HEADS_STOCK.items()})
PAGE_WORDS.update({  # the stockpile page's table of every point solved (its workbook keeps the ids)
    "days_floor": "uniform floor (days)", "case_status": "status", "mean_cover_days": "mean cover (days)",
    "first_stage_usd": "cost if nothing happens (USD)", "expected_disruption_usd": "expected disruption cost (USD)",
    "expected_total_usd": "expected total cost (USD)", "cvar_usd": "CVaR of the disruption cost (USD)",
    "hedged_objective_usd": "hedged objective (USD)", "shortfall_probability": "chance of a shortfall",
    "expected_unmet_t": "expected unmet (t)", "expected_lost_output_usd": "expected lost output (USD)",
    "case_solve_s": "solve time (s)",
})
CATALOGUE.update({f"note.{key}": texts for key, texts in {
    "risk_based_days": ("Cover the hedged plan holds with no floor: days of demand (stock and agreement lines), mean "
                        "over the years", "하한 없이 헤지 계획이 보유하는 비축: 수요 일수 (비축과 협정 물량), 연도 평균"),
    "risk_based_min_days": ("Its lowest year", "가장 낮은 해"),
    "risk_based_max_days": ("Its highest year", "가장 높은 해"),
    "calm_days": ("Cover the least-cost plan holds with no floor and no disruption at all, mean over the years: held "
                  "for prices or Policy limits (bought under a loose China cap for years of a tight one, say), not for "
                  "risk; read beside the risk-based days, which the hedged plan holds with the disruptions",
                  "하한도 공급 차질도 없을 때 최소비용 계획이 보유하는 비축, 연도 평균: 위험이 아니라 가격이나 정책 한도 "
                  "때문에 보유 (예: 느슨한 중국 상한 아래 사들여 엄격한 해에 씀); 공급 차질을 반영한 헤지 계획의 위험 기반 일수와 함께 읽음"),
    "mandate_days": ("The mandate: the workbook's floor by year (Policy stockpile_min_days), here its mean over the "
                     "years it is set; the study solves the path itself (mandate_path_days), not this mean",
                     "의무: 워크북의 연도별 하한 (정책 stockpile_min_days), 여기서는 설정된 연도의 평균; 분석은 이 평균이 "
                     "아니라 경로 자체(의무 비축 경로)를 풂"),
    "mandate_path_days": ("The mandate's floor by year, first year → last (the year a path goes beyond both, between)",
                          "연도별 의무 하한, 첫해 → 마지막 해 (경로가 둘을 벗어나는 해는 그 사이에)"),
    "mandate_cost_usd": ("What the mandate costs over the risk-based level (hedged objective)",
                         "위험 기반 수준 대비 의무 비축의 비용 (헤지 목적값)"),
    "mandate_cost_low_usd": ("Proven lower end", "증명된 하한"),
    "mandate_cost_high_usd": ("Proven upper end", "증명된 상한"),
    "mandate_significant": ("no: the proven range holds 0 (smaller than the solves' gaps)",
                            "유의하지 않음: 증명된 범위가 0을 포함 (풀이의 최적성 차이보다 작음)"),
    "day_saving_usd": ("Expected disruption cost one more day of the mandate saves",
                       "의무 비축을 1일 늘리면 아끼는 기대 공급 차질 비용"),
    "day_cost_usd": ("What that day costs before any disruption (holding, premium, purchases)",
                     "그 1일이 공급 차질 전에 드는 비용 (보관비, 할증, 구매)"),
    "shortfall_probability_mandate": ("Chance of any unmet demand, with the mandate", "의무 비축일 때 미충족이 생길 확률"),
    "shortfall_probability_risk_based": ("The same, with the risk-based stock", "위험 기반 비축일 때의 같은 값"),
    "expected_unmet_t_mandate": ("Expected tonnes unmet, with the mandate", "의무 비축일 때 기대 미충족 물량"),
    "expected_unmet_t_risk_based": ("The same, with the risk-based stock", "위험 기반 비축일 때의 같은 값"),
    "expected_lost_output_usd_mandate": ("Expected output lost (shortage cost curve), with the mandate",
                                         "의무 비축일 때 기대 생산 손실 (부족 비용 곡선)"),
    "expected_lost_output_usd_risk_based": ("The same, with the risk-based stock", "위험 기반 비축일 때의 같은 값"),
    "mandate_avoided_per_extra_usd": ("The mandate's margin: expected lost output (risk-based - mandate) / cost before "
                                      "any disruption (mandate - risk-based); blank where the mandate costs nothing "
                                      "more. Not the Protection sheet's per USD of stock, an average over all the stock",
                                      "의무의 한계 효과: 기대 생산 손실 (위험 기반 - 의무) ÷ 공급 차질 전 비용 (의무 - 위험 "
                                      "기반); 의무의 추가 비용이 없으면 공란. 보호 시트의 비축 1 USD당 값(비축 전체의 평균)과 "
                                      "다름"),
    "floor_point": ("The floor solved: uniform days, the mandate, or none", "푼 하한: 균일 일수, 의무, 또는 없음"),
    "days_floor": ("Uniform floor in days of demand (blank: the mandate's path, or none)",
                   "수요 일수로 본 균일 하한 (공란: 의무 경로 또는 없음)"),
    "mean_cover_days": ("Cover held, mean over the years", "보유 비축일수, 연도 평균"),
    "first_stage_usd": ("Cost if no disruption happens", "공급 차질이 없을 때의 비용"),
    "expected_disruption_usd": ("Expected disruption cost", "기대 공급 차질 비용"),
    "expected_total_usd": ("Sum of the two", "두 비용의 합"),
    "cvar_usd": ("CVaR of the disruption cost (Settings cvar_level)", "공급 차질 비용의 조건부 위험가치(CVaR) (설정 cvar_level)"),
    "hedged_objective_usd": ("first stage + (1 - λ) expected + λ CVaR (Settings cvar_weight λ)",
                             "1단계 + (1 - λ) 기대값 + λ CVaR (설정 cvar_weight λ)"),
    "shortfall_probability": ("Chance of any unmet demand", "미충족이 생길 확률"),
    "expected_unmet_t": ("Expected tonnes unmet", "기대 미충족 물량"),
    "expected_lost_output_usd": ("Expected output lost", "기대 생산 손실"),
    "floor_plan": ("risk-based (no floor) or mandate", "위험 기반 (하한 없음) 또는 의무"),
}.items()})
CATALOGUE.update({
    "sheet.curve": ("Curve", "곡선"),
    "stock.title": ("Stockpile days: {workbook}", "비축일수: {workbook}"),
    "stock.subtitle": ("{workbook}: decisions {first}-{last}, {currency} of {price_year}, present value at the start "
                       "of {first}; every point a hedged plan solved to a {gap} gap and verified with every scenario; "
                       "input SHA-256 {sha}",
                       "{workbook}: 의사결정 기간 {first}-{last}, {price_year}년 가격 {currency}, {first}년 초 현재가치; "
                       "모든 점은 최적성 차이 {gap}까지 푼 헤지 계획이며 모든 시나리오로 검증; 입력 SHA-256 {sha}"),
    "scenarios.sampled": ("scenarios drawn from the Disruption risks sheet ({options})",
                      "Disruption risks 시트에서 뽑은 시나리오 ({options})"),
    "scenarios.sampled_mix": ("the Disruptions sheet's scenarios and draws from the Disruption risks sheet ({options})",
                          "Disruptions 시트의 시나리오와 Disruption risks 시트에서 뽑은 시나리오 ({options})"),
    "stock.point.risk_based": ("risk-based", "위험 기반"),
    "stock.point.mandate": ("mandate", "의무"),
    "stock.point.mandate_plus": ("mandate + 1 day", "의무 + 1일"),
    "stock.story.risk_based": ("{mineral}: the disruptions make {days} worth holding (mean over the years; {low} to "
                               "{high} by year)",
                               "{mineral}: 공급 차질을 감안하면 {days_subject} 보유할 가치가 있음 (연도 평균; 연도별 {low}~{high}일)"),
    "stock.story.risk_based_calm": ("{mineral}: with no floor the hedged plan holds {days} (mean over the years; {low} "
                                    "to {high} by year), but with no disruption at all it would still hold {calm}, for "
                                    "prices or Policy limits, not for risk",
                                    "{mineral}: 하한이 없으면 헤지 계획은 {days_object} 보유함 (연도 평균; 연도별 {low}~{high}일). "
                                    "다만 공급 차질이 전혀 없어도 {calm_object} 보유함 (위험이 아니라 가격이나 정책 한도 때문)"),
    "stock.story.against": ("against {mandate}", "{mandate} 대비"),
    "stock.story.mandate": ("the mandate's path, {first} in {first_year} to {last} by {by} (mean {mean} over "
                            "{start}-{end})",
                            "의무 비축 경로({first_year}년 {first}에서 {by}년까지 {last}일, {start}-{end}년 평균 {mean}일)"),
    "stock.story.mandate_flat": ("a mandate of {days} in {years}", "{years}년 의무 {days}"),
    "stock.story.cost": ("the mandate costs {usd} more in present value", "의무 비축이 현재가치로 {usd} 더 듦"),
    "stock.story.binds": ("it lifts the cover in {years}, where the risk-based plan holds less",
                          "위험 기반 계획이 덜 보유하는 {years}년에 비축을 올림"),
    # A reference rule with no plan: which, from how many days no floor has one, and what bounds the cover.
    "stock.story.no_plan": ("{mineral}: no plan holds {rules}{beyond}{chart}.",
                            "{mineral}: {rules_object} 지키는 계획이 없음{beyond}{chart}."),
    "stock.story.no_plan_from": (", nor any uniform floor from {days}", "(균일 하한 {days} 이상도 마찬가지)"),
    "stock.story.chart_stops": (", so its chart stops at {days}", ". 차트는 {days}에서 멈춤"),
    "stock.story.cannot_hold": ("That cover cannot be held within the case's limits",
                                "이 사례의 한도 안에서는 그만큼 비축할 수 없음"),
    "stock.story.no_plan_status": ("Its solve: {status}", "풀이 결과: {status}"),
    "stock.story.bound_by": ("at {days} it is bounded by {cells}", "{days}에서 이를 막는 셀은 {cells}"),
    "stock.story.cell": ("{cell} {column} = {value} in {years}", "{cell} {column} = {value} ({years}년)"),
    "stock.story.more_cells": ("and {n} more", "외 {n}개"),
    "stock.story.what": ("Risk-based: the hedged plan with the mineral's floor lifted holds what the expected cost of "
                         "shortages (Shortage costs sheet), crisis prices and release times make worth its holding "
                         "cost.", "위험 기반: 광물의 하한을 없앤 헤지 계획이, 공급 부족의 기대비용(Shortage costs 시트)·위기 "
                         "가격·방출 시간을 감안해 보관비를 들일 가치가 있는 만큼 보유하는 비축."),
    "stock.chart": ("{mineral}: cost above the risk-based plan, and CVaR, by days of cover",
                    "{mineral}: 비축일수별 위험 기반 계획 대비 비용과 CVaR"),
    "stock.axis.days": ("days of cover (uniform floor)", "비축일수 (균일 하한)"),
    "stock.axis.markers": ("days of cover (uniform floor; markers: mean cover held)", "비축일수 (균일 하한; 표식: 평균 보유)"),
    "stock.series.above": ("expected cost above the risk-based plan (USD M)", "위험 기반 계획 대비 기대비용 (USD M)"),
    "stock.series.cvar": ("CVaR of the disruption cost (USD M)", "공급 차질 비용의 조건부 위험가치(CVaR) (USD M)"),
    "stock.series.risk_based": ("risk-based (mean {days})", "위험 기반 (평균 {days})"),
    "stock.series.mandate": ("mandate of mean {floor}: holds {days}", "의무 평균 {floor}: 보유 평균 {days}"),
    "stock.col.risk_based": ("risk-based days: mean (lowest–highest year)", "위험 기반 일수: 평균 (최저–최고 연도)"),
    "stock.col.calm": ("held with no disruption at all (days, mean)", "차질이 전혀 없어도 보유 (일, 평균)"),
    "stock.col.mandate": ("mandate days: mean (path by year)", "의무 일수: 평균 (연도별 경로)"),
    "stock.col.mandate_cost": ("mandate cost (USD M)", "의무 비용 (USD M)"),
    "stock.col.significant": ("significant", "유의함"),
    "stock.col.day_saves": ("a day saves (USD)", "1일 추가 시 절감액 (USD)"),
    "stock.col.day_costs": ("a day costs (USD)", "1일 추가 비용 (USD)"),
    "stock.col.p_mandate": ("P(shortfall), mandate", "부족 확률, 의무"),
    "stock.col.p_risk_based": ("P(shortfall), risk-based", "부족 확률, 위험 기반"),
    "stock.col.unmet_mandate": ("unmet t, mandate", "미충족 t, 의무"),
    "stock.col.unmet_risk_based": ("unmet t, risk-based", "미충족 t, 위험 기반"),
    "stock.col.avoided_per_usd": ("mandate's extra stock: lost output avoided per extra USD",
                                  "의무 추가 비축: 추가 1 USD당 막은 생산 손실"),
    "stock.table_note": ("Days are days of demand held as stock and agreement lines at the end of each year. Risk-based: "
                         "the hedged plan with no floor, its mean over the years (lowest and highest year in "
                         "brackets). Mandate: the Policy sheet's stockpile_min_days, solved year by year as it stands; "
                         "its mean is shown with its path (first year → last). The last column is the mandate's "
                         "margin: the expected lost output its stock above the risk-based plan's avoids ÷ what it "
                         "costs more before any disruption (blank where it costs nothing more). A day saves and a "
                         "day costs split the hedged objective's change from the mandate to one day more, which the "
                         "solves prove, between expected disruption cost and cost before any disruption as the plans "
                         "found split it: plans as cheap may split it otherwise, so a small negative saving is that "
                         "split, not a proven loss.",
                         "일수는 매년 말 비축과 협정 물량으로 보유한 수요 일수입니다. 위험 기반: 하한 없는 헤지 계획의 "
                         "연도 평균 (괄호 안은 가장 낮은 해와 가장 높은 해). 의무: Policy 시트의 stockpile_min_days를 "
                         "연도별로 그대로 풀며, 평균을 경로(첫해 → 마지막 해)와 함께 보입니다. 마지막 열은 의무의 한계 "
                         "효과: 위험 기반 계획보다 더 보유한 비축이 막는 기대 생산 손실 ÷ 공급 차질 전에 더 드는 비용 "
                         "(추가 비용이 없으면 공란). 1일 추가 시 절감액과 1일 추가 비용은 의무에서 하루를 더할 때 풀이가 "
                         "증명하는 헤지 목적함수의 변화를, 찾은 계획들이 나누는 대로 기대 공급 차질 비용과 공급 차질 전 "
                         "비용으로 나눈 것입니다: 비용이 같은 다른 계획은 달리 나눌 수 있으므로, 작은 음의 절감액은 그 "
                         "나눔일 뿐 증명된 손실이 아닙니다."),
    "stock.uniform_note": ("A uniform floor is a minimum held in every year. Each higher floor only rules plans out, "
                           "so the cost never falls as the floor rises and no uniform floor costs less than none: "
                           "0 days is the risk-based plan itself, and the cheapest uniform floor is always the lowest. "
                           "A floor is worth what it buys in CVaR and shortfalls against what it costs above the "
                           "risk-based plan.",
                           "균일 하한은 매년 지켜야 하는 최솟값입니다. 하한을 올릴수록 가능한 계획이 줄어들 뿐이므로, "
                           "하한이 오를 때 비용은 내려가지 않고 어떤 균일 하한도 하한이 없을 때보다 싸지 않습니다: "
                           "0일은 위험 기반 계획 그 자체이며, 가장 싼 균일 하한은 언제나 가장 낮은 하한입니다. 하한의 "
                           "가치는 위험 기반 계획 대비 추가 비용에 견준 CVaR와 부족의 감소입니다."),
    "stock.per_usd_note": ("Per USD of stock here is an average: all the lost output the plan's stock avoids ÷ all "
                           "it costs (holding and purchase premium). It is not the days table's last column, a "
                           "margin: the lost output the mandate's stock above the risk-based plan's avoids ÷ what that "
                           "extra stock costs. A stock can avoid much per USD on average and nothing at the margin, "
                           "where the risk-based stock already covers what a stock can.",
                           "여기서 비축 1 USD당 값은 평균입니다: 계획의 비축이 막는 생산 손실 전체 ÷ 비축 비용 전체 "
                           "(보관비와 매입 할증). 일수 표의 마지막 열(한계 효과: 위험 기반 계획보다 더 보유한 의무 "
                           "비축이 막는 생산 손실 ÷ 그 추가 비축의 비용)과 다릅니다. 비축은 평균으로는 1 USD당 많이 "
                           "막으면서도 한계로는 아무것도 막지 못할 수 있습니다: 위험 기반 비축이 비축으로 막을 수 있는 "
                           "것을 이미 막는 경우입니다."),
    "stock.col.plan": ("plan", "계획"),
    "stock.refs": ("Reference rules on the curve: {refs}.", "곡선의 기준 규칙: {refs}."),
    "stock.ref.jogmec": ("JOGMEC standard", "JOGMEC 표준"),
    "stock.ref.korea": ("Korea's target", "한국 목표"),
    "stock.ref.jogmec_high": ("JOGMEC high-risk metals", "JOGMEC 고위험 금속"),
    "stock.sec.days": ("Days of stock each mineral deserves", "광물별 적정 비축일수"),
    "stock.sec.curve": ("Expected cost and risk against days of cover", "비축일수별 기대비용과 위험"),
    "stock.sec.protection": ("What the stock, lines and second sources buy", "비축·협정·대체 공급처의 효과"),
    "stock.sec.points": ("Every point solved", "푼 모든 점"),
})


# ---- alternatives -------------------------------------------------------------------------------------------
HEADS_ALT = {
    "alternative": "계획", "alternative_kind": "유형", "weights": "가중치", "budget_pct": "예산 (최소비용 대비)",
    "alternative_status": "상태", "alternative_cost_usd": "비용 (USD)", "cost_change_usd": "최소비용 대비 (USD)",
    "cost_change_pct": "최소비용 대비 비율", "direction_measure": "{short}", "solver_value": "풀이 값",
    "solver_bound": "풀이 한계", "alternative_note": "비고", "mineral_alt_cost_usd": "비용 (USD)",
    "mineral_cost_change_pct": "최소비용 대비 비율", "allowance_usd": "허용액 (USD)", "mineral_measure": "{measure}",
    "family": "결정 종류", "range_item": "항목 (ID)", "range_item_name": "항목", "range_measure": "범위 대상",
    "range_unit": "단위",
    "range_least_cost": "최소비용 계획", "low": "최소", "high": "최대", "low_bound": "최소 한계", "high_bound": "최대 한계",
    "width": "폭", "share_of_demand_low": "수요 대비 최소", "share_of_demand_high": "수요 대비 최대", "choice": "선택",
    "proven": "증명됨", "low_found_by": "최소를 찾은 계획", "high_found_by": "최대를 찾은 계획", "solves": "풀이 횟수",
    "plan_value": "{plan}", "measure_words": "측정값", "direction": "방향", "measure_column": "열",
    "default_way": "기본 방향", "measure_definition": "정의",
}
HEAD_IDS.update({"alternative_kind": "kind", "alternative_status": "status", "alternative_cost_usd": "cost_usd",
                 "alternative_note": "note", "mineral_alt_cost_usd": "cost_usd",
                 "mineral_cost_change_pct": "cost_change_pct", "range_item": "item", "range_item_name": "name",
                 "range_measure": "measure",
                 "range_unit": "unit", "range_least_cost": "least_cost", "measure_column": "column",
                 "measure_words": "measure", "measure_definition": "definition", "direction_measure": "{short}",
                 "mineral_measure": "{measure}",
                 "plan_value": "{plan}"})
CATALOGUE.update({f"head.{key}": (HEAD_IDS.get(key, key), ko) for key, ko in HEADS_ALT.items()})
PAGE_WORDS.update({
    "family": "decision", "range_item": "option, plant or agreement (id)", "range_unit": "unit",
    "range_least_cost": "in the least-cost plan", "low": "least", "high": "most", "low_bound": "no plan has less",
    "high_bound": "no plan has more", "choice": "forced or free", "proven": "both ends proven",
    "low_found_by": "least found by", "high_found_by": "most found by", "solves": "HiGHS solves",
})
CATALOGUE.update({f"note.{key}": texts for key, texts in {
    "alternative": ("The plan: least cost, the furthest in one direction, a mix, or a point of the frontier",
                    "계획: 최소비용, 한 방향으로 가장 멀리 간 계획, 혼합, 또는 경계선의 한 점"),
    "alternative_kind": ("least cost, direction, mix, frontier (the furthest in one direction on part of the "
                         "allowance), or range (a range's end that failed)",
                         "최소비용, 방향, 혼합, 경계선(허용액 일부로 한 방향으로 가장 멀리 간 계획), 또는 범위(실패한 범위 끝)"),
    "weights": ("A mix: each direction's Halton weight (each direction is divided by how far it moved alone, so each "
                "counts alike)", "혼합: 방향별 Halton 가중치 (각 방향을 단독으로 움직인 거리로 나눠 같게 셈)"),
    "budget_pct": ("The most it may cost above the least-cost plan, share of its cost",
                   "최소비용 계획보다 더 들 수 있는 최대 비용, 그 비용 대비 비율"),
    "alternative_status": ("optimal (proven furthest within the gap), feasible (time limit: a plan within the budget, "
                           "not proven furthest), not applicable, no plan in time, or failed verification",
                           "최적(차이 이내에서 가장 멀리 감을 증명), 실행 가능(시간 제한: 예산 이내 계획, 최원점 미증명), 해당 "
                           "없음, 시간 내 해 없음, 또는 검증 실패"),
    "alternative_cost_usd": ("Present value of every cost (verified), from the workbook's prices and capacities "
                             "({estimates})", "모든 비용의 현재가치 (검증됨), 워크북의 가격과 용량에서 계산 ({estimates})"),
    "cost_change_usd": ("Cost above the least-cost plan (USD, present value)", "최소비용 계획 대비 추가 비용 (USD, 현재가치)"),
    "cost_change_pct": ("Cost above the least-cost plan, share of its cost (at most the slack)",
                        "최소비용 계획 대비 추가 비용의 비율 (허용 여유 이하)"),
    "direction_measure": ("{measure}, recomputed from the verified plan", "{measure}, 검증된 계획에서 다시 계산"),
    "solver_value": ("A single direction: its measure as the solver found it", "단일 방향: 풀이가 찾은 측정값"),
    "solver_bound": ("The furthest any plan within the budget can go (HiGHS's bound); the true extreme lies between "
                     "the value and the bound", "예산 이내의 어떤 계획도 넘을 수 없는 한계(HiGHS 한계); 실제 극값은 값과 한계 "
                     "사이"),
    "alternative_note": ("Why a plan is missing, or a caution", "계획이 없는 이유, 또는 주의 사항"),
    "mineral_alt_cost_usd": ("Present value of the mineral's costs", "광물 비용의 현재가치"),
    "mineral_cost_change_pct": ("Above the mineral's cost in the least-cost plan, share of it",
                                "최소비용 계획에서의 광물 비용 대비 추가 비율"),
    "allowance_usd": ("The mineral's share of the budget's allowance (in a per-mineral budget, its own limit)",
                      "예산 허용액 중 광물의 몫 (광물별 예산이면 광물 자신의 한도)"),
    "mineral_measure": ("The mineral's {measure}", "광물의 {measure}"),
    "family": ("supplier, recycling, agreement or stock", "공급처, 재자원화, 협정 또는 비축"),
    "range_item": ("Its id", "항목의 ID"),
    "range_item_name": ("What it is: the supply option, plant, agreement or mineral by its name",
                        "무엇인지: 공급 옵션·설비·협정·광물의 이름"),
    "range_measure": ("What is ranged, over the horizon", "범위를 구한 대상, 계획 기간 전체"),
    "range_unit": ("t, modules, years or days", "t, 모듈, 년 또는 일"),
    "range_least_cost": ("In the least-cost plan", "최소비용 계획의 값"),
    "low": ("The least any verified plan within the budget has", "예산 이내 검증된 계획 중 최솟값"),
    "high": ("The most any verified plan within the budget has", "예산 이내 검증된 계획 중 최댓값"),
    "low_bound": ("No plan within the budget has less (HiGHS's bound, or the decision's own bound)",
                  "예산 이내 어떤 계획도 이보다 작지 않음 (HiGHS 한계 또는 결정 자체의 한계)"),
    "high_bound": ("No plan within the budget has more", "예산 이내 어떤 계획도 이보다 크지 않음"),
    "width": ("high - low", "최대 - 최소"),
    "share_of_demand_low": ("A supplier: low as a share of the mineral's demand over the horizon",
                            "공급처: 최솟값의 계획 기간 수요 대비 비율"),
    "share_of_demand_high": ("A supplier: high as a share of the mineral's demand over the horizon",
                             "공급처: 최댓값의 계획 기간 수요 대비 비율"),
    "choice": ("forced: the same in every plan within the budget; free: it can move",
               "고정: 예산 이내 모든 계획에서 같음; 자유: 움직일 수 있음"),
    "proven": ("yes: both ends are proven (bound = value); no: the true end lies between them",
               "예: 양 끝이 증명됨 (한계 = 값); 아니오: 실제 끝은 그 사이"),
    "low_found_by": ("The plan that reached low", "최소에 이른 계획"),
    "high_found_by": ("The plan that reached high", "최대에 이른 계획"),
    "solves": ("HiGHS runs spent on this range (an end another plan reached at the decision's own bound needs none)",
               "이 범위에 쓴 HiGHS 풀이 횟수 (다른 계획이 결정 자체의 한계에 이른 끝은 풀이 불필요)"),
    "plan_value": ("Its value in the plan '{plan}'", "'{plan}' 계획의 값"),
    "measure_words": ("The measure, as the Alternatives sheet and the page head its column",
                      "측정값 (대안 시트와 페이지의 열 이름)"),
    "direction": ("Name in --directions", "--directions의 이름"),
    "measure_column": ("Id of its column of the Alternatives sheet (the English workbook's header)",
                       "대안 시트의 해당 열 ID (영문 워크북의 열 이름)"),
    "default_way": ("Which way the direction goes unless NAME:min or NAME:max says (min or max, as --directions "
                    "takes it)", "NAME:min이나 NAME:max로 지정하지 않을 때의 방향 (--directions에 쓰는 min 또는 max)"),
    "measure_definition": ("The measure, recomputed from each verified plan", "검증된 각 계획에서 다시 계산한 측정값"),
}.items()})
CATALOGUE.update({
    # Shared by every report whose figures rest on the workbook's: the words the coalition report's method uses.
    "word.estimates_where_marked": ("estimates where its Sources say so", "Sources가 그렇게 표시한 곳은 추정치"),
    # The figures every plan rests on, on every page of results (``estimates_note``).
    "assume.estimates": ("Every figure here is computed from the workbook's prices, capacities, demand and other "
                         "inputs, and those are estimates where its Sources sheet says so ({n} Sources row{n_s} "
                         "marked estimate): the results are estimates too, only as good as those inputs.",
                         "이 보고서의 모든 수치는 워크북의 가격·용량·수요 등 입력값으로 계산했으며, Sources 시트에서 "
                         "추정치로 표시된 입력(해당 행 {n}개)은 추정치입니다. 따라서 결과도 추정치이며 입력값만큼만 "
                         "정확합니다."),
    "sheet.alternatives": ("Alternatives", "대안"),
    "sheet.ranges": ("Ranges", "범위"),
    "sheet.decisions": ("Decisions", "결정"),
    "sheet.measures": ("Measures", "측정 기준"),
    "alt.title": ("Near-optimal alternatives: {workbook}", "준최적 대안: {workbook}"),
    "alt.subtitle": ("Plans within {slack} of the least cost ({budget}), {first}-{last}, {currency} of {price_year}, "
                     "present value; every plan verified; input SHA-256 {sha}",
                     "최소비용 {slack} 이내의 계획 ({budget}), {first}-{last}, {price_year}년 가격 {currency}, 현재가치; "
                     "모든 계획 검증; 입력 SHA-256 {sha}"),
    "alt.budget_kind.mineral": ("a budget per mineral", "광물별 예산"),
    "alt.budget_kind.total": ("one total budget", "전체 단일 예산"),
    "alt.least_cost": ("least cost", "최소비용"),
    "alt.mix": ("mix {n}", "혼합 {n}"),
    "alt.frontier": ("{direction} within {share}", "{share} 이내 {direction}"),
    "alt.range.least": ("least {item}", "{item} 최소"),
    "alt.range.most": ("most {item}", "{item} 최대"),
    "alt.kind.least_cost": ("least cost", "최소비용"),
    "alt.kind.direction": ("direction", "방향"),
    "alt.kind.mix": ("mix", "혼합"),
    "alt.kind.frontier": ("frontier", "경계선"),
    "alt.kind.range": ("range", "범위"),
    "alt.dir.china.min": ("least China", "중국 최소"),
    "alt.dir.china.max": ("most China", "중국 최대"),
    "alt.dir.recycling.min": ("least recycling", "재자원화 최소"),
    "alt.dir.recycling.max": ("most recycling", "재자원화 최대"),
    "alt.dir.partners.min": ("least aligned partners", "우호국 최소"),
    "alt.dir.partners.max": ("most aligned partners", "우호국 최대"),
    "alt.dir.countries.min": ("fewest supplier countries", "공급국 최소"),
    "alt.dir.countries.max": ("most supplier countries", "공급국 최대"),
    "alt.dir.stock.min": ("least stock", "비축 최소"),
    "alt.dir.stock.max": ("most stock", "비축 최대"),
    # The China direction counts tonnes on the Settings reliance basis per tonne of demand, averaged over minerals
    # and years (the model keeps it linear): not the plan's tonne-weighted China share, and named so.
    "alt.short.china": ("China-linked tonnes per tonne of demand", "수요 톤당 중국 연계 물량"),
    "alt.short.recycling": ("recycled share of demand", "수요 대비 재자원화 비중"),
    "alt.short.partners": ("alignment-weighted share of demand", "우호도 가중 수요 비중"),
    "alt.short.countries": ("supplier countries", "공급국 수"),
    "alt.short.stock": ("stock days", "비축일수"),
    "alt.measure.china": ("China-linked tonnes (mined or refined in China, on the Settings reliance basis) per tonne "
                          "of demand, mean over minerals and years (not the plan's tonne-weighted China share)",
                          "수요 톤당 중국 연계 물량(중국에서 채굴 또는 정제, 설정 reliance_basis 기준), 광물·연도 평균 "
                          "(계획 보고서의 물량 가중 중국 의존도와 다름)"),
    "alt.measure.recycling": ("recycled share of demand (mean over minerals with recycling, and years)",
                              "수요 대비 재자원화 비중 (재자원화 옵션이 있는 광물과 연도의 평균)"),
    "alt.measure.partners": ("alignment-weighted share of demand (1 - misaligned tonnes per tonne)",
                             "우호도 가중 수요 비중 (1 - 톤당 비우호 물량)"),
    "alt.measure.countries": ("supplier countries, summed over minerals (each at least {share} of the mineral's "
                              "demand)", "공급국 수, 광물 합계 (각각 광물 수요의 {share} 이상)"),
    "alt.measure.stock": ("stock in days of demand (mean over minerals and years)", "수요 일수로 본 비축 (광물·연도 평균)"),
    "alt.family.supplier": ("tonnes bought over the horizon", "계획 기간 구매 물량"),
    "alt.family.recycling": ("recycling modules built that run in the horizon", "계획 기간에 가동하는 재자원화 모듈"),
    "alt.family.agreement": ("years of membership", "가입 연수"),
    "alt.family.stock": ("mean stock in days of demand", "수요 일수로 본 평균 비축"),
    "alt.family_name.supplier": ("supplier", "공급처"),
    "alt.family_name.recycling": ("recycling", "재자원화"),
    "alt.family_name.refining": ("Korean refining", "국내 정제"),
    "alt.family_name.recycling_refining": ("recycling and Korean refining", "재자원화·국내 정제"),
    "alt.family_name.agreement": ("agreement", "협정"),
    "alt.family_name.stock": ("stock", "비축"),
    "alt.range_axis.supplier": ("share of the mineral's demand over the horizon", "계획 기간 광물 수요 대비 비중"),
    "alt.range_axis.stock": ("mean stock in days of demand", "수요 일수로 본 평균 비축"),
    "alt.range_axis.recycling": ("modules built that run in the horizon", "계획 기간에 가동하는 모듈"),
    "alt.range_axis.agreement": ("years of membership", "가입 연수"),
    "unit.word.modules": ("modules", "모듈"),
    "unit.word.years": ("years", "년"),
    "unit.count.years": ("{n} year{n_s}", "{n}년"),  # a number of them (labels.counted)
    "unit.count.modules": ("{n} module{n_s}", "모듈 {n}개"),
    "alt.free": ("free", "자유"),
    "alt.not_significant": ("not significant: within the proven gap of the least-cost plan",
                            "유의하지 않음: 최소비용 계획의 증명된 최적성 차이 이내"),
    "alt.gap_unknown": ("an unknown gap", "알 수 없는 차이"),
    "alt.budget": ("Every alternative costs at most (1 + {slack}) x C*, C* = {best} USD the cost of the least-cost "
                   "plan found{each}. C* is proven within {gap} of the least possible cost, so every alternative costs "
                   "at most (1 + {slack}) x (1 + that gap) times the least possible cost.",
                   "모든 대안의 비용은 최대 (1 + {slack}) x C*이며, C* = {best} USD는 찾은 최소비용 계획의 비용입니다{each}. "
                   "C*는 가능한 최소비용의 {gap} 이내로 증명되었으므로, 모든 대안의 비용은 가능한 최소비용의 최대 "
                   "(1 + {slack}) x (1 + 그 차이)배입니다."),
    "alt.budget.each": (" (a per-mineral budget: each mineral also at most its own least cost plus its share of the "
                        "allowance, shared in proportion to |cost|)",
                        " (광물별 예산: 각 광물도 자신의 최소비용에 허용액 중 자기 몫(|비용|에 비례)을 더한 값 이하)"),
    "alt.story.least": ("The least-cost plan costs {usd} (present value {first}-{last}), proven within {gap} of the "
                        "least possible cost (HiGHS's bound {bound}). Every alternative below costs at most {slack} "
                        "more ({budget}): {each}",
                        "최소비용 계획의 비용은 {usd}({first}-{last} 현재가치)이며, 가능한 최소비용의 {gap} 이내로 "
                        "증명되었습니다 (HiGHS 한계 {bound}). 아래 모든 대안의 비용은 최대 {slack} 더 많습니다 ({budget}): "
                        "{each}"),
    "alt.story.least_unproven": ("The least-cost plan found costs {usd} (its gap is not proven). Every alternative "
                                 "below costs at most {slack} more ({budget}): {each}",
                                 "찾은 최소비용 계획의 비용은 {usd}입니다 (최적성 차이 미증명). 아래 모든 대안의 비용은 최대 "
                                 "{slack} 더 많습니다 ({budget}): {each}"),
    "alt.story.each": ("each mineral within {slack} of its own least cost.", "각 광물이 자신의 최소비용 {slack} 이내."),
    "alt.story.shared": ("in total, the minerals free to share the allowance.", "전체 합계로, 광물끼리 허용액을 나눠 씀."),
    "alt.story.failed": ("{plan}: {status} ({why}).", "{plan}: {status} ({why})."),
    "alt.story.direction": ("{plan}: {measure} {base} in the least-cost plan, {value} at {pct} ({usd}){reach}.",
                            "{plan}: {measure}, 최소비용 계획 {base}, 이 계획 {value}, 비용 {pct} ({usd}){reach}."),
    "alt.story.unmoved": ("{plan}: {measure} {base} in the least-cost plan already; no plan within the budget goes "
                          "further (the plan found costs {pct} ({usd}) for no gain).",
                          "{plan}: {measure}, 최소비용 계획이 이미 {base}; 예산 이내에서 더 나아가는 계획은 없습니다 (찾은 "
                          "계획은 비용 {pct} ({usd})이지만 나아진 것이 없음)."),
    "alt.story.no_mixes": ("No mixes: fewer than two directions go further than the least-cost plan, so there is "
                           "nothing to trade off.",
                           "혼합 없음: 최소비용 계획보다 더 나아가는 방향이 둘 미만이라 절충할 것이 없습니다."),
    "alt.story.most_for": ("; most for {moves}", "; 가장 크게 움직인 광물: {moves}"),
    "alt.story.stock": ("stock", "비축"),
    "alt.story.frontier": ("The frontier, {direction}: {points} (least cost: {least}).",
                           "경계선, {direction}: {points} (최소비용: {least})."),
    "alt.story.within": ("{value} within {share}", "{share} 이내 {value}"),
    "alt.story.mixes": ("Mixing the directions (Halton weights) gives {n} plan{n_s} within the budget that no single "
                        "direction shows; see the table and the trade-off chart.",
                        "혼합 {n}개가 방향 사이를 절충합니다 (Halton 가중치): 단일 방향으로는 보이지 않는 예산 이내 계획; 표와 "
                        "절충 차트를 보세요."),
    "alt.story.ranges": ("Of {n} decision{n_s} ranged, {forced} are forced (the same in every plan within the budget) and "
                         "{free} are free; {solves} HiGHS solves, {known} end{known_s} known without one, in {s} s.",
                         "범위를 구한 결정 {n}개 중 {forced}개는 고정(예산 이내 모든 계획에서 같음), {free}개는 자유; HiGHS "
                         "풀이 {solves}회, 풀이 없이 확정된 범위 끝값 {known}개, {s}초."),
    "alt.story.ranges_free": ("None of the {n} decision{n_s} ranged is forced: each can differ between plans within the "
                              "budget; {solves} HiGHS solves, {known} end{known_s} known without one, in {s} s.",
                              "범위를 구한 결정 {n}개 중 고정된 결정은 없습니다 (모두 예산 이내 계획마다 다를 수 있음); "
                              "HiGHS 풀이 {solves}회, 풀이 없이 확정된 범위 끝값 {known}개, {s}초."),
    "alt.story.no_ranges": ("Ranges were not computed (--no-ranges, the default with a total budget, where each end is "
                            "a solve of the whole model).",
                            "범위는 계산하지 않았습니다 (--no-ranges; 전체 예산일 때의 기본값으로, 각 끝이 전체 모형의 풀이)."),
    "alt.story.stopped": ("The run was stopped: this report holds what finished.",
                          "실행이 중단되었습니다: 이 보고서는 끝난 부분만 담습니다."),
    "alt.at_each_cost.min": ("the least {measure} at each cost", "비용별 최소 {measure}"),
    "alt.at_each_cost.max": ("the most {measure} at each cost", "비용별 최대 {measure}"),
    "alt.series.frontier": ("frontier: {direction} at each cost", "경계선: 비용별 {direction}"),
    "alt.series.budget": ("budget: +{slack}", "예산: +{slack}"),
    "alt.series.range": ("from the least to the most within the budget", "예산 이내 최소에서 최대까지"),
    "alt.cost": ("cost", "비용"),
    "alt.cost_above": ("cost above the least cost", "최소비용 대비 추가 비용"),
    "alt.cost_above_share": ("cost above the least cost (share of it)", "최소비용 대비 추가 비용 (비율)"),
    "alt.tradeoff": ("Trade-off: {y} against {x}", "절충: {x}에 따른 {y}"),
    "alt.chart.suppliers": ("{mineral}: supplier ranges within the budget (share of demand)",
                            "{mineral}: 예산 이내 공급처 범위 (수요 대비 비중)"),
    "alt.chart.stock": ("Stock ranges within the budget (mean days of demand)", "예산 이내 비축 범위 (평균 수요 일수)"),
    "alt.chart.ranges": ("{family} ranges within the budget: {axis}", "예산 이내 {family} 범위: {axis}"),
    "alt.room_to_most": ("room to the most", "최대까지의 여유"),
    "alt.col.plan": ("plan", "계획"),
    "alt.col.weights": ("weights", "가중치"),
    "alt.col.status": ("status", "상태"),
    "alt.col.cost": ("cost (USD M)", "비용 (USD M)"),
    "alt.col.change": ("above least cost (USD M)", "최소비용 대비 (USD M)"),
    "alt.col.change_pct": ("above least cost", "최소비용 대비 비율"),
    "alt.col.cost_m": ("cost (USD M)", "비용 (USD M)"),
    "alt.col.measure_in": ("{measure}: {plan}", "{measure}: {plan}"),
    "alt.sec.side": ("The alternatives side by side", "대안 비교"),
    "alt.sec.reach": ("What each mineral reaches", "광물별 도달 범위"),
    "alt.sec.ranges": ("The range of each decision within the budget", "예산 이내 결정별 범위"),
    "alt.sec.how": ("How these plans were found", "이 계획들을 찾은 방법"),
    "alt.room": ("The room within the budget", "예산 이내의 여유"),
    "alt.scope.each": ("each mineral's own extreme within its own allowance", "광물별 자기 허용액 이내의 극값"),
    "alt.scope.shared": ("what the plan furthest in each direction gives each mineral (the minerals share one "
                         "allowance)", "방향별로 가장 멀리 간 계획이 광물에 주는 값 (광물들이 한 허용액을 나눠 씀)"),
    "alt.reach.note": ("Per mineral, the measure in the least-cost plan and in the plan furthest in each direction: "
                       "{scope}.", "광물별로 최소비용 계획과 각 방향으로 가장 멀리 간 계획의 측정값: {scope}."),
    "alt.ranges.note": ("Each bar runs from the least to the most the decision takes in any plan within the budget; "
                        "the dot is the least-cost plan. A bar of no width is a forced choice; a wide one, a free "
                        "choice.", "막대는 예산 이내 어떤 계획에서든 결정이 갖는 최솟값에서 최댓값까지이며, 점은 최소비용 "
                        "계획입니다. 폭이 없는 막대는 고정된 선택, 넓은 막대는 자유로운 선택입니다."),
    "alt.how": ("Each direction's plan minimises or maximises its measure (the Measures sheet) subject to every limit "
                "of the case and the budget; the mixes weigh the directions by Halton points over the simplex, each "
                "direction divided by how far it moved alone. A supplier country counts when it mines or refines at "
                "least {share} of the mineral's demand over the horizon. Solved as {solved}. Every plan was verified "
                "against the input data, and its cost checked against the budget.",
                "방향별 계획은 사례의 모든 한도와 예산 아래에서 측정값(측정 기준 시트)을 최소화 또는 최대화합니다; 혼합은 "
                "단체 위 Halton 점으로 방향에 가중치를 주며, 각 방향을 단독으로 움직인 거리로 나눕니다. 공급국은 "
                "계획 기간 광물 수요의 {share} 이상을 채굴 또는 정제할 때 셉니다. 풀이 방식: {solved}. 모든 계획을 입력 "
                "데이터로 검증하고 비용을 예산과 대조했습니다."),
    "alt.estimates": ("Every cost and measure here is computed from the workbook's prices, capacities, demand and "
                      "the other figures of its sheets ({estimates}: {n} Sources row{n_s} marked estimate).",
                      "이 보고서의 모든 비용과 측정값은 워크북의 가격, 용량, 수요 등 각 시트의 수치로 계산했습니다 "
                      "({estimates}: 해당 Sources 행 {n}개)."),
    "alt.budget_row": ("(budget)", "(예산)"),  # the Measures sheet's row of the budget, beside the directions
    "alt.stock_of": ("stock of {mineral}", "{mineral} 비축"),  # a range's end: the least or most stock of it
    "alt.one_model": ("one model", "단일 모형"),
    "alt.blocks": ("{n} block{n_s} (minerals, or groups of minerals a recycling plant links)",
                   "{n}개 블록 (광물, 또는 재자원화 설비가 잇는 광물 그룹)"),
})


# ---- coalitions -------------------------------------------------------------------------------------------
COAL_COLS = {  # key: (id, Korean header, English note, Korean note)
    "member": ("member", "회원국", "Member country", "회원국"),
    "mineral": ("mineral", "광물", "mineral_id", "mineral_id"),
    "demand_t_per_yr": ("demand_t_per_yr", "연간 수요 (t)", "Yearly demand in the traded form (Korea: the first "
                        "year's, Demand sheet)", "교역 형태의 연간 수요 (한국: 첫해, Demand 시트)"),
    "stock_t": ("stock_t", "비축량 (t)", "Emergency stock (Korea: at the start, Stockpile sheet)",
                "비상 비축량 (한국: 시작 시점, Stockpile 시트)"),
    "mandate_days": ("mandate_days", "의무 비축일수", "Days its policy keeps in stock (Korea: the Policy floor in the "
                     "last year)", "정책상 의무 비축일수 (한국: 마지막 해 Policy 하한)"),
    "lendable_t": ("lendable_t", "대여 가능 (t)", "What it may lend a member not hit: its stock above its mandate "
                   "(Korea: decided by its plan)", "영향받은 회원국에 빌려줄 수 있는 양: 의무 초과 비축 (한국: 계획이 결정)"),
    "china_share": ("china_share", "중국 의존도", "Share of its supply mined or refined in China (Korea: of what its "
                    "plan alone buys in the first year)", "공급 중 중국에서 채굴 또는 정제된 비중 (한국: 단독 계획의 첫해 "
                    "구매 기준)"),
    "other_suppliers": ("other_suppliers", "기타 공급국", "Its other supplier countries and shares",
                        "기타 공급국과 비중"),
    "shortage_cost": ("shortage_cost", "부족 비용", "Its shortage cost: flat USD/t, or a factor on Korea's curve",
                      "부족 비용: 고정 USD/t 또는 한국 곡선에 곱하는 계수"),
    "sources": ("sources", "출처", "Sources rows: demand and exposure; stock and mandate; shortage cost",
                "Sources 행: 수요와 노출; 비축과 의무; 부족 비용"),
    "estimates": ("estimates", "추정치", "Which of its figures are estimates (Sources marked estimate, or a stock "
                  "taken from the mandate)", "추정치인 수치 (Sources에 estimate 표시, 또는 의무에서 가져온 비축)"),
    "coalition": ("coalition", "연합", "Members", "회원국"),
    "block": ("mineral", "광물", "mineral_id, or all minerals (a CVaR term links them)",
              "mineral_id, 또는 전체 광물 (CVaR 항이 광물을 잇는 경우)"),
    "expected_cost_usd": ("expected_cost_usd", "기대비용 (USD)", "The coalition's hedged objective: first stage + "
                          "expected disruption cost (+ CVaR term), present value, verified",
                          "연합의 헤지 목적값: 1단계 비용 + 기대 공급 차질 비용 (+ CVaR 항), 현재가치, 검증됨"),
    "bound_usd": ("bound_usd", "하한 (USD)", "HiGHS's proven lower bound of it", "HiGHS가 증명한 하한"),
    "value_usd": ("value_usd", "연합 가치 v(S) (USD)", "v(S): its members' costs alone minus its cost",
                  "v(S): 회원국 단독 비용의 합 - 연합 비용"),
    "value_low_usd": ("value_low_usd", "v(S) 하한 (USD)", "Lowest v(S) the bounds allow", "증명된 범위의 최소 v(S)"),
    "value_high_usd": ("value_high_usd", "v(S) 상한 (USD)", "Highest", "최대"),
    "significant": ("significant", "유의함", "no: the range holds 0", "유의하지 않음: 범위가 0을 포함"),
    "joint_stock_t": ("joint_stock_t", "공동비축 (t)", "The joint stock at the end of the last year",
                      "마지막 해 말 공동비축량"),
    "reserves_t": ("reserves_t", "회원국 예비 비축 (t)", "The members' reserves at the end of the last year, together",
                   "마지막 해 말 회원국 예비 비축 합계"),
    "status": ("status", "상태", "optimal, or feasible (time limit)", "최적, 또는 실행 가능 (시간 제한)"),
    "solved": ("solved", "풀이", "How: solved (HiGHS blocks run / blocks), or why it was not solved again",
               "방법: 풂 (HiGHS로 푼 블록 / 블록), 또는 다시 풀지 않은 이유"),
    "wall_s": ("wall_s", "시간 (초)", "Seconds to build, solve and verify", "구성·풀이·검증 시간 (초)"),
    "group": ("mineral", "광물", "mineral_id, or the group a stream plant links",
              "mineral_id, 또는 재자원화 설비가 잇는 광물 그룹"),
    "korea_gross_saving_usd": ("korea_gross_saving_usd", "한국의 자체 절감액 (USD)", "What Korea's own costs (its "
                               "reserve, its supply and its expected disruption cost) fall by in the grand coalition, "
                               "present value", "전체 연합에서 한국 자체 비용(예비 비축, 조달, 기대 공급 차질 비용)이 줄어드는 "
                               "금액, 현재가치"),
    "korea_shapley_usd": ("korea_shapley_usd", "한국의 섀플리 값 (USD)", "Korea's Shapley value: its fair part of the "
                          "coalition's saving", "한국의 섀플리 값: 연합 절감액 중 한국의 공정한 몫"),
    "korea_settlement_usd": ("korea_settlement_usd", "한국의 정산액 (USD)", "Own saving - Shapley value: what Korea "
                             "should pay its partners (negative: be paid) to end with its Shapley value; it pays for "
                             "the reserves partners hold and lend to Korea and for Korea's part of the joint stock",
                             "자체 절감액 - 섀플리 값: 한국이 섀플리 값만큼 갖도록 상대국에 내야 할 금액 (음수: 받을 금액); "
                             "상대국이 보유해 한국에 빌려주는 예비 비축과 공동비축 중 한국 몫의 대가"),
    "korea_settlement_usd_per_yr": ("korea_settlement_usd_per_yr", "한국의 정산액 (USD/년)",
                                    "The same as an even yearly payment over the horizon",
                                    "같은 금액을 계획 기간 균등 연 지급액으로"),
    "korea_settlement_low_usd": ("korea_settlement_low_usd", "한국의 정산액 하한 (USD)", "The least Korea's settlement "
                                 "is in any plan of the grand coalition within its proven gap (plans as cheap may hold "
                                 "the reserves with other members)", "증명된 최적성 차이 이내의 전체 연합 계획 중 한국 "
                                 "정산액이 가장 작은 값 (비용이 같은 계획은 비축을 다른 회원국에 둘 수 있음)"),
    "korea_settlement_high_usd": ("korea_settlement_high_usd", "한국의 정산액 상한 (USD)", "The most; a range that "
                                  "holds 0 means it is not settled whether Korea pays or is paid",
                                  "가장 큰 값; 범위가 0을 포함하면 한국이 낼지 받을지 정해지지 않음"),
    "joint_stock_cost_usd": ("joint_stock_cost_usd", "공동비축 비용 (USD)", "What the grand coalition's joint stock "
                             "costs (first stage, present value); the members' reserves are not in it (each is in its "
                             "holder's own costs); the members' settlements add up to it",
                             "전체 연합 공동비축의 비용 (1단계, 현재가치); 회원국 예비 비축은 포함되지 않음 (각 보유국의 "
                             "자체 비용에 있음); 회원국 정산액의 합과 같음"),
    "korea_fees_usd": ("korea_fees_usd", "한국의 협정 수수료 (USD)", "Present value of the fees of Korea's Agreements rows "
                       "with these partners on these minerals (joined from their first year, whole line): today's "
                       "terms for lines with these partners", "이 광물들에 대한 이 상대국들과의 한국 Agreements 행 수수료의 "
                       "현재가치 (첫해부터 가입, 전체 물량): 이 상대국들과의 현재 조건"),
    "korea_fees_usd_per_yr": ("korea_fees_usd_per_yr", "한국의 협정 수수료 (USD/년)", "The same as an even yearly payment",
                              "같은 금액을 균등 연 지급액으로"),
    "fees_minus_settlement_usd": ("fees_minus_settlement_usd", "수수료 - 정산액 (USD)", "What the fees ask above Korea's "
                                  "settlement (present value)", "수수료가 한국의 정산액보다 더 요구하는 금액 (현재가치)"),
    "agreements": ("agreements", "협정", "Those Agreements rows (all hypothetical unless marked signed)",
                   "해당 Agreements 행 (체결 표시가 없으면 모두 가정)"),
    "core_coalition": ("coalition", "연합", "A coalition short of the grand one", "전체 연합보다 작은 연합"),
    "core_value_usd": ("value_usd", "연합 가치 v(S) (USD)", "v(S): what it saves alone", "v(S): 그 연합이 단독으로 아끼는 금액"),
    "shapley_usd": ("shapley_usd", "섀플리 값 (USD)", "What the Shapley split gives its members together",
                    "섀플리 배분이 회원국들에 함께 주는 금액"),
    "excess_usd": ("excess_usd", "초과 (USD)", "Shapley - v(S): negative means it would do better alone",
                   "섀플리 - v(S): 음수면 단독이 더 나음"),
    "holds": ("holds", "충족", "yes: the Shapley split gives it at least what it saves alone, whatever the coalitions' "
              "costs within their proven gaps; not significant: the gaps allow either",
              "예: 연합 비용이 증명된 최적성 차이 안의 어느 값이든 섀플리 배분이 단독 절감액 이상을 줌; 유의하지 않음: 최적성 "
              "차이 안에서 어느 쪽도 가능"),
    "nucleolus_usd": ("nucleolus_usd", "뉴클레올러스 (USD)", "What the nucleolus gives its members together",
                      "뉴클레올러스가 회원국들에 함께 주는 금액"),
    "marginal_coalition": ("coalition", "연합 S", "S", "연합 S"),
    "adds": ("adds", "추가 회원국", "The member added", "추가한 회원국"),
    "value_added_usd": ("value_added_usd", "추가 가치 (USD)", "v(S + member) - v(S), all minerals",
                        "v(S + 회원국) - v(S), 전체 광물"),
    "low_usd": ("low_usd", "하한 (USD)", "Lowest the bounds allow", "증명된 범위의 최솟값"),
    "high_usd": ("high_usd", "상한 (USD)", "Highest", "최댓값"),
    "by_mineral": ("by_mineral", "광물별", "The largest parts, by mineral", "광물별 가장 큰 부분"),
    "scenario": ("scenario", "시나리오", "Disruption scenario", "공급 차질 시나리오"),
    "probability": ("probability", "확률", "An assumption", "가정"),
    "lost_t": ("lost_t", "손실 (t)", "Tonnes it loses (all years of the scenario)", "잃는 물량 (시나리오 전 기간)"),
    "own_stock_t": ("own_stock_t", "자국 비축 (t)", "From its own stock and reserve (Korea: the public stock and its "
                    "reserve)", "자국 비축과 예비 비축에서 (한국: 공공 비축과 예비 비축)"),
    "joint_drawn_t": ("joint_stock_t", "공동비축에서 (t)", "From the joint stock", "공동비축에서"),
    "swaps_in_t": ("swaps_in_t", "스와프 차입 (t)", "Borrowed from members not hit", "영향받지 않은 회원국에서 빌림"),
    "lent_t": ("lent_t", "대여 (t)", "Lent to members hit", "영향받은 회원국에 빌려줌"),
    "spot_t": ("spot_t", "현물 (t)", "Bought spot, within its share of spare capacity", "여유 능력 중 자기 몫 안에서 현물 구매"),
    "recycling_t": ("recycling_t", "재자원화 (t)", "Extra recycling (Korea)", "추가 재자원화 (한국)"),
    "unmet_t": ("unmet_t", "미충족 (t)", "Left short, at its shortage cost", "부족분, 부족 비용 부과"),
    "agreement_id": ("agreement_id", "협정", "Agreements row", "Agreements 행"),
    "kind": ("kind", "유형", "swap or joint stockpile", "광물 스와프 또는 공동비축"),
    "partners": ("partners", "상대국", "Partner countries", "상대국"),
    "fee_usd_per_yr": ("fee_usd_per_yr", "연회비 (USD)", "Yearly fee", "연회비"),
    "fee_usd_per_t_yr": ("fee_usd_per_t_yr", "톤당 수수료 (USD)", "Fee per tonne of line", "확보 물량 톤당 수수료"),
    "emergency_volume_t": ("emergency_volume_t", "비상 물량 한도 (t)", "Largest line", "최대 확보 물량"),
    "agreement_status": ("status", "상태", "signed (Agreements signed = yes) or hypothetical",
                         "체결 (Agreements 시트 signed = yes) 또는 가정"),
    # The Summary's key figures.
    "figure": ("figure", "수치", "What the figure is", "수치의 내용"),
    "key_usd": ("usd", "USD", "USD, present value at the start of the first year", "USD, 첫해 초 현재가치"),
    "key_low_usd": ("low_usd", "하한 (USD)", "The least the solves prove: the grand coalition's saving and the plan "
                    "found's settlement over the coalitions' proven gaps, a settlement in any plan as cheap over "
                    "every such plan (which may hold the reserves with other members or in the joint stock)",
                    "풀이가 증명하는 최소: 전체 연합 절감액과 찾은 계획의 정산액은 증명된 최적성 차이에 걸쳐, 비용이 같은 "
                    "계획의 정산액은 그 모든 계획에 걸쳐 (비축을 다른 회원국이나 공동비축에 둘 수 있음)"),
    "key_high_usd": ("high_usd", "상한 (USD)", "The most the solves prove", "풀이가 증명하는 최대"),
    "key_says": ("says", "의미", "significant: the proven range leaves out 0; which way a settlement goes; whether "
                 "the split is in the core", "유의함: 증명된 범위가 0을 포함하지 않음; 정산 방향; 배분이 코어 안에 있는지"),
}


def _add_columns(prefix: str, columns: dict[str, tuple[str, str, str, str]]) -> None:
    """A report's columns, key -> (id, Korean header, English note, Korean note), as the catalogue's
    ``head.<prefix>_<key>`` (the English header is the id) and ``note.<prefix>_<key>``."""
    CATALOGUE.update({f"head.{prefix}_{key}": (x[0], x[1]) for key, x in columns.items()})
    CATALOGUE.update({f"note.{prefix}_{key}": (x[2], x[3]) for key, x in columns.items()})


_add_columns("coal", COAL_COLS)
PAGE_WORDS.update({f"coal_{key}": words for key, words in {
    "demand_t_per_yr": "demand (t/yr)", "stock_t": "stock (t)", "mandate_days": "mandated stock (days)",
    "lendable_t": "can lend (t)", "china_share": "China share", "other_suppliers": "other supplier countries",
    "shortage_cost": "shortage cost", "expected_cost_usd": "expected cost (USD)", "bound_usd": "bound (USD)",
    "value_usd": "coalition value v(S) (USD)", "value_low_usd": "v(S) low (USD)", "value_high_usd": "v(S) high (USD)",
    "joint_stock_t": "joint stock (t)", "reserves_t": "members' reserves (t)", "wall_s": "time (s)",
    "korea_gross_saving_usd": "Korea's own saving (USD)", "korea_shapley_usd": "Korea's Shapley value (USD)",
    "korea_settlement_usd": "Korea pays to settle (USD)",
    "korea_settlement_usd_per_yr": "Korea pays to settle (USD/yr)",
    "korea_settlement_low_usd": "Korea pays to settle, least (USD)",
    "korea_settlement_high_usd": "Korea pays to settle, most (USD)",
    "joint_stock_cost_usd": "joint stock cost (USD)", "korea_fees_usd": "Korea's agreement fees (USD)",
    "korea_fees_usd_per_yr": "Korea's agreement fees (USD/yr)", "fees_minus_settlement_usd": "fees - settlement (USD)",
    "core_value_usd": "coalition value v(S) (USD)", "shapley_usd": "Shapley value (USD)", "excess_usd": "excess (USD)",
    "nucleolus_usd": "nucleolus (USD)", "gross_saving_usd": "own saving (USD)",
    "settlement_usd": "pays to settle in the plan found (USD)",
    "settlement_usd_per_yr": "pays to settle in the plan found (USD/yr)",
    "settlement_found_range": "pays to settle in the plan found, as proven (USD)",
    "settlement_low_usd": "pays to settle, least (USD)", "settlement_high_usd": "pays to settle, most (USD)",
    "settlement_settled": "which way it settles",
    "settlement_range": "pays to settle in plans as cheap (USD)",
    "shapley_low_usd": "Shapley value, least (USD)", "shapley_high_usd": "Shapley value, most (USD)",
    "shapley_range": "Shapley value as proven (USD)",
    "adds": "member added", "value_added_usd": "value added (USD)", "low_usd": "low (USD)", "high_usd": "high (USD)",
    "by_mineral": "by mineral", "lost_t": "lost (t)", "own_stock_t": "own stock (t)",
    "joint_drawn_t": "from the joint stock (t)", "swaps_in_t": "borrowed by swaps (t)", "lent_t": "lent (t)",
    "spot_t": "spot (t)", "recycling_t": "recycling (t)", "unmet_t": "unmet (t)", "agreement_id": "agreement",
    "fee_usd_per_yr": "yearly fee (USD)", "fee_usd_per_t_yr": "fee per tonne and year (USD)",
    "emergency_volume_t": "emergency volume (t)",
}.items()})
CATALOGUE.update({
    "sheet.coalitions": ("Coalitions", "연합"),
    "sheet.values": ("Values", "연합 가치"),
    "sheet.shapley": ("Shapley", "섀플리 배분"),
    "sheet.shapley_chart": ("Shapley chart", "섀플리 차트"),
    "sheet.settlement": ("Settlement", "정산"),
    "sheet.core": ("Core", "코어"),
    "sheet.marginal": ("Marginal", "한계 기여"),
    "sheet.arrangements": ("Arrangements", "현행 협정"),
    "coal.title": ("Coalitions: {members} ({workbook})", "연합: {members} ({workbook})"),
    "coal.subtitle": ("{first}-{last}, {currency} of {price_year}, present value at the start of {first}; every "
                      "coalition solved to a {gap} gap and verified; input SHA-256 {sha}",
                      "{first}-{last}, {price_year}년 가격 {currency}, {first}년 초 현재가치; 모든 연합을 최적성 차이 "
                      "{gap}까지 풀고 검증; 입력 SHA-256 {sha}"),
    "coal.run.split_stopped": ("not computed: the run was stopped before every coalition was solved",
                               "계산하지 않음: 모든 연합을 풀기 전에 실행이 중단됨"),
    "coal.hypothetical": ("Every arrangement here is hypothetical: as of early 2026 no Korea-Japan or Korea-US "
                          "stockpile-sharing or swap agreement has been signed (a Korea-Japan stockpiling dialogue, "
                          "February 2025; a US-Japan framework to explore complementary stockpiling, October 2025; "
                          "FORGE, the successor of the Minerals Security Partnership, February 2026).",
                          "여기의 모든 협력 방식은 가정입니다: 2026년 초 현재 한일 또는 한미 비축 공유·스와프 협정은 체결되지 "
                          "않았습니다 (2025년 2월 한일 비축 대화; 2025년 10월 미일 상호보완적 비축 검토 체계; 2026년 2월 "
                          "핵심광물안보파트너십(MSP)의 후속 FORGE)."),
    # The same in a study of partners alone ({members}: the members studied), which has none of Korea's agreements.
    "coal.hypothetical.partners": ("Every arrangement here is hypothetical: the coalitions pool the stocks of {members} "
                                   "as the model lets them, and the workbook records no agreement between them. As of "
                                   "early 2026 Japan and the United States have signed no stockpile-sharing or swap "
                                   "agreement, only a framework to explore complementary stockpiling (October 2025); "
                                   "FORGE, the successor of the Minerals Security Partnership, followed in February "
                                   "2026.",
                                   "여기의 모든 협력 방식은 가정입니다: 연합은 모형이 허용하는 대로 {members}의 비축을 공동 "
                                   "운용하며, 워크북에는 이들 사이의 협정이 없습니다. 2026년 초 현재 일본과 미국은 비축 공유·스와프 "
                                   "협정을 체결하지 않았고, 상호보완적 비축을 검토하는 체계(2025년 10월)만 마련했습니다; "
                                   "핵심광물안보파트너십(MSP)의 후속 FORGE는 2026년 2월에 출범했습니다."),
    "coal.how": ("v(S) = the members' expected costs alone minus the coalition's (first stage + (1 - cvar_weight) x "
                 "expected disruption cost + cvar_weight x CVaR, present value). A coalition holds a joint stock beside "
                 "each member's own; every member, alone too, may hold a reserve on the same terms, so v(S) is the "
                 "value of pooling, not of having a stock. Partners' stocks and exposures come from the Partners sheet "
                 "(estimates where its Sources say so); probabilities are assumptions.",
                 "v(S) = 회원국 단독 기대비용의 합 - 연합의 기대비용 (1단계 비용 + (1 - cvar_weight) x 기대 공급 차질 "
                 "비용 + cvar_weight x CVaR, 현재가치). 연합은 회원국 자체 비축과 별도로 공동비축을 두며, 모든 회원국은 "
                 "단독일 때도 같은 조건으로 예비 비축을 둘 수 있으므로 v(S)는 비축 보유가 아니라 공동 운용의 가치입니다. "
                 "상대국의 비축과 노출은 Partners 시트에서 나오며(Sources가 그렇게 표시한 곳은 추정치), 확률은 "
                 "가정입니다."),
    "coal.rule.pro_rata": ("pro rata", "수요 비례"),
    "coal.rule.need_first": ("need first", "필요 우선"),
    "coal.all_minerals": ("all minerals", "전체 광물"),
    "coal.reused": ("the plan of a coalition without a member who adds nothing, reused",
                    "아무것도 더하지 않는 회원국을 뺀 연합의 계획을 재사용"),
    "coal.solved": ("solved ({run}/{of} block{of_s})", "풀이 완료 ({run}/{of} 블록)"),
    "coal.korea.suppliers": ("its supply options (Suppliers)", "공급처 (Suppliers 시트)"),
    "coal.korea.shortage": ("Shortage costs / Minerals", "Shortage costs / Minerals 시트"),
    # Korea's row mixes years (demand and stock at the start, the mandate the Policy sheet sets at the end): say so
    "coal.korea.sources": ("the workbook's own sheets: demand and stock in {first}, mandate_days in {last} (Policy "
                           "stockpile_min_days)",
                           "워크북 자체 시트: {first}년 수요·비축, {last}년 의무 비축일수 (Policy stockpile_min_days)"),
    "coal.korea.estimates": ("see them", "해당 시트 참조"),
    "coal.figure.exposure": ("demand and exposure", "수요와 노출"),
    "coal.figure.stock": ("stock", "비축"),
    "coal.figure.shortage": ("shortage cost", "부족 비용"),
    "coal.figure.stock_from_mandate": ("stock (from the mandate)", "비축 (의무에서)"),
    "coal.korea_curve": ("{factor} x Korea's curve", "한국 곡선 x {factor}"),
    "coal.col.coalition": ("coalition", "연합"),
    "coal.col.member": ("member", "회원국"),
    "coal.col.shapley_usd": ("shapley_usd", "섀플리 값 (USD)"),
    # The least and most Shapley value over every coalition's cost within its proven range.
    "coal.col.shapley_low_usd": ("shapley_low_usd", "섀플리 값 하한 (USD)"),
    "coal.col.shapley_high_usd": ("shapley_high_usd", "섀플리 값 상한 (USD)"),
    "coal.col.shapley_range": ("shapley_range", "섀플리 값 범위 (USD)"),
    "coal.shapley.range": ("{low} to {high}", "{low}~{high}"),
    "coal.shapley.range_ns": ("{low} to {high}: not significant", "{low}~{high}: 유의하지 않음"),
    "coal.col.nucleolus_usd": ("nucleolus_usd", "뉴클레올러스 (USD)"),
    "coal.col.gross_saving_usd": ("gross_saving_usd", "자체 절감액 (USD)"),
    "coal.col.settlement_usd": ("settlement_usd", "찾은 계획의 정산액 (USD)"),
    "coal.col.settlement_usd_per_yr": ("settlement_usd_per_yr", "찾은 계획의 정산액 (USD/년)"),
    # The least and most settlement of the plan found, over the coalitions' gaps alone, and which way that says.
    "coal.col.settlement_found_low_usd": ("settlement_found_low_usd", "찾은 계획의 정산액 하한 (USD)"),
    "coal.col.settlement_found_high_usd": ("settlement_found_high_usd", "찾은 계획의 정산액 상한 (USD)"),
    "coal.col.settlement_found_says": ("settlement_found_settled", "찾은 계획의 정산 방향"),
    # The least and most settlement of any plan of the grand coalition within its proven gap, and which way that says.
    "coal.col.settlement_low_usd": ("settlement_low_usd", "비용이 같은 계획의 정산액 하한 (USD)"),
    "coal.col.settlement_high_usd": ("settlement_high_usd", "비용이 같은 계획의 정산액 상한 (USD)"),
    "coal.col.settlement_says": ("settlement_settled", "비용이 같은 계획의 정산 방향"),
    # On a page, each range and which way it settles in one cell (coal.settle.range): the plan found's over the
    # coalitions' gaps, then any plan as cheap's.
    "coal.col.settlement_found_range": ("settlement_found_range", "찾은 계획의 정산액 범위 (USD)"),
    "coal.col.settlement_range": ("settlement_range", "비용이 같은 계획의 정산액 범위 (USD)"),
    "coal.settle.range": ("{low} to {high}: {way}", "{low}~{high}: {way}"),
    "coal.note.settlement_says": ("Which way every plan of the grand coalition within its proven gap settles",
                                  "증명된 최적성 차이 이내의 모든 전체 연합 계획이 정산하는 방향"),
    # The Shapley sheet's settlement columns: the plan found's, then any plan as cheap's.
    "coal.note.settlement_found": ("In the plan found: own saving - Shapley value, what the member should pay "
                                   "(negative: be paid) to end with its Shapley value; USD present value",
                                   "솔버가 찾은 계획에서: 자체 절감액 - 섀플리 값, 회원국이 섀플리 값만큼 갖도록 내야 할 금액 "
                                   "(음수: 받을 금액); USD 현재가치"),
    "coal.note.found_range": ("The least (low) and most (high) the plan found's settlement can be with every "
                              "coalition's cost anywhere within its proven gap",
                              "연합 비용이 증명된 최적성 차이 안의 어느 값이든 될 때 찾은 계획의 정산액이 가장 작은 값(하한)과 "
                              "가장 큰 값(상한)"),
    "coal.note.settlement_found_says": ("Which way the plan found settles, with every coalition's cost anywhere "
                                        "within its proven gap",
                                        "연합 비용이 증명된 최적성 차이 안의 어느 값이든 될 때 찾은 계획이 정산하는 방향"),
    "coal.note.settlement_range": ("The least (low) and most (high) in any plan of the grand coalition within its "
                                   "proven gap: a plan as cheap may hold the reserves with other members or in the "
                                   "joint stock",
                                   "증명된 최적성 차이 이내의 전체 연합 계획 중 가장 작은 값(하한)과 가장 큰 값(상한): 비용이 같은 "
                                   "계획은 비축을 다른 회원국이나 공동비축에 둘 수 있음"),
    "coal.settle.pays": ("pays", "지불"),
    "coal.settle.is_paid": ("is paid", "수령"),
    "coal.settle.even": ("nothing to settle", "정산 없음"),
    "coal.settle.not_significant": ("not significant", "유의하지 않음"),
    "coal.col.expected_lost": ("{member} expected lost t (scenarios)", "{member} 기대 손실 t (시나리오 수)"),
    "coal.col.hit_together": ("hit together", "함께 영향받음"),
    "coal.alone": ("{member} alone", "{member} 단독"),
    "coal.note.value": ("v(S), USD present value", "v(S), USD 현재가치"),
    "coal.note.usd": ("USD present value", "USD 현재가치"),
    "coal.note.exposure": ("Expected tonnes lost alone (scenarios hitting it)", "단독일 때 기대 손실 물량 (영향 시나리오 수)"),
    "coal.story.members": ("Members {members}; {n} coalition{n_s} of {minerals} mineral{minerals_s}, joint stock shared {rule} "
                           "(Settings coalition_sharing_rule), cvar_weight {cvar}.",
                           "회원국 {members}; 광물 {minerals}개에 대한 연합 {n}개, 공동비축은 {rule_to} 배분 (설정 "
                           "coalition_sharing_rule), cvar_weight {cvar}."),
    "coal.story.stopped": ("The run was stopped before every coalition was solved: the values of the coalitions that "
                           "finished are below; the split needs them all.",
                           "모든 연합을 풀기 전에 실행이 중단되었습니다: 끝난 연합의 가치는 아래에 있으며, 배분에는 모든 연합이 "
                           "필요합니다."),
    "coal.story.together": ("Together the {n} members save {usd} in expectation (present value; proven between {low} "
                            "and {high}).", "{n}개 회원국은 함께 기대값으로 {usd_object} 아낍니다 (현재가치; {low}에서 {high} "
                            "사이로 증명)."),
    "coal.story.most": ("Together the {n} members save {usd} in expectation (present value; proven between {low} and "
                        "{high}), most in {most}.", "{n}개 회원국은 함께 기대값으로 {usd_object} 아낍니다 (현재가치; {low}에서 "
                        "{high} 사이로 증명). 가장 큰 곳: {most}."),
    # One group of several saves a dollar or more: {others}, the minerals of the rest, save less.
    "coal.story.only": ("Together the {n} members save {usd} in expectation, all of it on {minerals} (present value; "
                        "proven between {low} and {high}); on {others} they save less than USD 1.",
                        "{n}개 회원국은 {minerals}에서만 함께 기대값으로 {usd_object} 아낍니다 (현재가치; {low}에서 "
                        "{high} 사이로 증명). {others}에서 아끼는 금액은 USD 1 미만입니다."),
    "coal.story.one": ("Together the {n} members save {usd} in expectation on {minerals} (present value; proven "
                       "between {low} and {high}).", "{n}개 회원국은 {minerals}에서 함께 기대값으로 {usd_object} 아낍니다 "
                       "(현재가치; {low}에서 {high} 사이로 증명)."),
    "coal.story.nothing": ("Together the {n} members save {usd} in expectation (present value; proven between {low} "
                           "and {high}): pooling buys nothing here.",
                           "{n}개 회원국은 함께 기대값으로 {usd_object} 아낍니다 (현재가치; {low}에서 {high} 사이로 증명): 여기서 "
                           "공동 운용은 얻는 것이 없습니다."),
    "coal.story.shapley": ("Shapley split: {split}.", "섀플리 배분: {split}."),
    "coal.story.core": ("It is in the core: no coalition saves more alone.",
                        "코어 안에 있습니다: 단독으로 더 아끼는 연합이 없습니다."),
    # The plans found decide the core, the proven gaps do not: {verdict} is coal.story.core or coal.story.not_core.
    "coal.story.core_ns": ("{verdict} Not significant: with the coalitions' costs anywhere within their proven gaps, "
                           "it could be either.",
                           "{verdict} 유의하지 않음: 연합 비용이 증명된 최적성 차이 안의 어느 값이든 될 수 있어, 어느 쪽일 수도 "
                           "있습니다."),
    "coal.story.not_core": ("It is not in the core: {short}. The nucleolus gives {nucleolus} (least-core ε {epsilon}).",
                            "코어 밖에 있습니다: {short}. 뉴클레올러스 배분: {nucleolus} (최소 코어 ε {epsilon})."),
    "coal.story.short": ("{coalition} would save {usd} more alone", "{coalition_topic} 단독으로 {usd} 더 아낌"),
    "coal.story.adds": ("{member} adds {usd} to {coalition}.",
                        "{member_subject} {coalition} 연합에 합류하면 {usd}의 가치가 더해집니다."),
    "coal.story.adds_ns": ("{member} adds {usd} to {coalition} (not significant: within the solves' gaps).",
                           "{member_subject} {coalition} 연합에 합류하면 {usd}의 가치가 더해집니다 (유의하지 않음: 풀이의 "
                           "최적성 차이 이내)."),
    "coal.story.lowers": ("{member} lowers the value of {coalition} by {usd}.",
                          "{member_subject} {coalition} 연합에 합류하면 가치가 {usd} 줄어듭니다."),
    "coal.story.lowers_ns": ("{member} lowers the value of {coalition} by {usd} (not significant: within the "
                             "solves' gaps).", "{member_subject} {coalition} 연합에 합류하면 가치가 {usd} 줄어듭니다 "
                             "(유의하지 않음: 풀이의 최적성 차이 이내)."),
    # {partners}: the members the settlement goes to (pays) or comes from (is_paid), by name; or, where it goes to
    # the joint stock alone, these words.
    "coal.story.partners": ("its partners", "상대국"),
    # {member}: the member the story settles (the home country, or in a study of partners alone the one that pays
    # most); {owner}: its possessive (labels.possessive).
    "coal.story.settle.pays": ("In the grand coalition {owner} own costs fall by {gross}, {usd} more than its Shapley "
                               "value: to settle the split {member} should pay {partners} {usd} ({usd_yr} a year) for "
                               "the stocks held and lent to it.",
                               "전체 연합에서 {owner} 자체 비용은 {gross} 줄어 섀플리 값보다 {usd} 더 아낍니다: 배분을 정산하려면 "
                               "{member_subject} {partners}에 내야 할 금액은 {usd}(연 {usd_yr})입니다. 상대국이 보유해 "
                               "{member}에 빌려주는 비축의 대가입니다."),
    # No member is paid: the settlement goes to the joint stock, held by no member (not to partners lending it
    # stock, which 'coal.story.settle.pays' would say).
    "coal.story.settle.pays_joint": ("In the grand coalition {owner} own costs fall by {gross}, {usd} more than its "
                                     "Shapley value: to settle the split {member} should pay {usd} ({usd_yr} a year) "
                                     "towards the joint stock, which no member holds: the settlements pay for it.",
                                     "전체 연합에서 {owner} 자체 비용은 {gross} 줄어 섀플리 값보다 {usd} 더 아낍니다: 배분을 "
                                     "정산하려면 {member_subject} 공동비축 비용으로 내야 할 금액은 {usd}(연 {usd_yr})입니다. "
                                     "공동비축은 어느 회원국도 보유하지 않으며, 정산액이 그 비용을 냅니다."),
    "coal.story.settle.is_paid": ("In the grand coalition {owner} own costs fall by {gross}, {usd} less than its "
                                  "Shapley value: to settle the split {partners} should pay {member} {usd} ({usd_yr} a "
                                  "year) for the stocks {member} holds and lends.",
                                  "전체 연합에서 {owner} 자체 비용은 {gross} 줄어 섀플리 값보다 {usd} 덜 아낍니다: 배분을 정산하려면 "
                                  "{partners_subject} {member}에 내야 할 금액은 {usd}(연 {usd_yr})입니다. {member_subject} "
                                  "보유해 상대국에 빌려주는 비축의 대가입니다."),
    "coal.story.settle.even": ("In the grand coalition {owner} own costs fall by {gross}, its Shapley value: there is "
                               "nothing to settle.",
                               "전체 연합에서 {owner} 자체 비용은 섀플리 값만큼인 {gross} 줄어듭니다: 정산할 것이 없습니다."),
    "coal.story.settle.not_significant": ("In the grand coalition's plan found {owner} own costs fall by {gross} and "
                                          "its settlement is {signed}; but plans as cheap, within the proven gap, hold "
                                          "the reserves with other members or in the joint stock and settle it "
                                          "anywhere from {low} to "
                                          "{high}: not significant, {unsettled}",
                                          "솔버가 찾은 전체 연합 계획에서 {owner} 자체 비용은 {gross} 줄고 정산액은 {signed}"
                                          "입니다. 그러나 증명된 최적성 차이 이내에서 비용이 같은 계획은 비축을 다른 "
                                          "회원국이나 공동비축에 두어 정산액이 {low}에서 {high} 사이 어디든 될 수 있습니다: 유의하지 "
                                          "않으며, {unsettled}"),
    # The same where the plans as cheap were not searched (--no-ranges, or an end HiGHS did not prove): the plan
    # found's settlement, within the range the coalitions' gaps alone prove (Split.settlement_found_usd).
    "coal.story.settle.found_not_significant": ("In the grand coalition's plan found {owner} own costs fall by "
                                                "{gross} and its settlement is {signed}; but the coalitions' costs "
                                                "are proven only to within their solves' gaps, and within those "
                                                "gaps it lies anywhere from {low} to {high}: not significant, "
                                                "{unsettled}",
                                                "솔버가 찾은 전체 연합 계획에서 {owner} 자체 비용은 {gross} 줄고 정산액은 "
                                                "{signed}입니다. 그러나 연합들의 비용은 풀이의 최적성 차이 이내로만 증명되어, "
                                                "그 차이 안에서 정산액은 {low}에서 {high} 사이 어디든 될 수 있습니다: "
                                                "유의하지 않으며, {unsettled}"),
    # The end of the above two: which way the settlement goes is open (either), or only how much (the range on one
    # side of 0: a member that pays, or is paid, at one end and settles nothing at the other).
    "coal.story.unsettled.either": ("it is not settled whether {member} should pay or be paid.",
                                    "{member_subject} 내야 할지 받아야 할지는 정해지지 않습니다."),
    "coal.story.unsettled.pays": ("though {member} is paid nowhere in that range: only how much it pays is not "
                                  "settled.",
                                  "다만 그 범위 어디에서도 {member_topic} 받지 않으며, 낼 금액만 정해지지 않습니다."),
    "coal.story.unsettled.is_paid": ("though {member} pays nowhere in that range: only how much it is paid is not "
                                     "settled.",
                                     "다만 그 범위 어디에서도 {member_topic} 내지 않으며, 받을 금액만 정해지지 않습니다."),
    "coal.story.settle.range": ("Plans as cheap, within the proven gap, may hold the reserves with other members or "
                                "in the joint stock: in "
                                "every one of them the amount lies between {low} and {high} (v(S) and the Shapley "
                                "values do not depend on which).",
                                "증명된 최적성 차이 이내에서 비용이 같은 계획은 비축을 다른 회원국이나 공동비축에 둘 수 있으며, 그 모든 "
                                "계획에서 금액은 {low}에서 {high} 사이입니다(v(S)와 섀플리 값은 어느 계획이든 같습니다)."),
    # After a settlement's range over the plans as cheap: what moves in it, and what does not.
    "coal.story.settle.ends": ("The amount moves with where the reserves are held (by which member, or in the joint "
                               "stock), not with what any member ends with: in every such plan each member's cost "
                               "after settling is its cost alone less its Shapley value, as a member pays for a stock "
                               "held for it elsewhere; the amount first given is that of the plan found.",
                               "금액은 비축을 어디에 두느냐(어느 회원국, 또는 공동비축)에 따라 달라질 뿐, 회원국이 최종적으로 "
                               "부담하는 비용은 달라지지 않습니다: 그 모든 계획에서 각 회원국의 정산 후 비용은 단독 비용에서 "
                               "섀플리 값을 뺀 금액이며, 다른 곳에 자신을 위해 둔 비축의 대가는 그 회원국이 냅니다. 앞의 "
                               "금액은 솔버가 찾은 계획의 것입니다."),
    "coal.story.settle.unique": ("Every plan within the proven gap settles it alike.",
                                 "증명된 최적성 차이 이내의 모든 계획에서 정산액은 같습니다."),
    # When no range is known (a stop, or a range's end HiGHS did not prove).
    "coal.story.settle.found": ("This is the split of the grand coalition's plan the solver found: a plan as cheap may hold "
                                "the reserves with other members and settle otherwise (v(S) and the Shapley values do "
                                "not depend on which).",
                                "이는 솔버가 찾은 전체 연합 계획의 정산입니다: 비용이 같은 다른 계획은 비축을 다른 회원국에 두어 "
                                "정산이 달라질 수 있습니다(v(S)와 섀플리 값은 어느 계획이든 같습니다)."),
    "coal.story.joint.none": ("The coalition holds no joint stock: the settlements are transfers between members, not "
                              "shares of a stock's cost.",
                              "연합은 공동비축을 두지 않습니다: 정산액은 비축 비용의 분담이 아니라 회원국 사이의 이전입니다."),
    "coal.story.joint.some": ("The joint stock costs {joint}; the members' settlements add up to it.",
                              "공동비축 비용은 {joint}이며, 회원국 정산액의 합과 같습니다."),
    "coal.story.fees": ("The fees of its Agreements rows with these partners on these minerals, each joined from its "
                        "first year with its whole line (today's terms; a plan joins what pays), come to {fees} in "
                        "present value ({fees_yr} a year).",
                        "이 광물들에 대한 이 상대국들과의 한국 Agreements 행 수수료는, 각 협정에 첫해부터 전체 물량으로 "
                        "가입하면(현재 조건; 계획은 득이 되는 만큼만 가입) 현재가치로 {fees}(연 {fees_yr})입니다."),
    # {together}: the events that hit two members or more, each with the members it hits (coal.story.hits).
    "coal.story.why_little": ("Why so little: a stock serves two members only if they are hit at different times. In "
                              "these data the events that size each member's stock hit the members together "
                              "({together}), and what hits one member alone is covered by its own stock (see "
                              "'{section}').",
                              "왜 이렇게 적은가: 비축은 두 회원국이 서로 다른 때 영향받을 때만 둘 모두에 쓰입니다. 이 데이터에서 "
                              "각 회원국의 비축 규모를 정하는 사건은 회원국들을 함께 칩니다 ({together}), 한 회원국만 치는 "
                              "사건은 자국 비축으로 대응합니다 ('{section}' 참조)."),
    "coal.story.hits": ("{event} hits {members}", "{event_topic} {members_object}"),
    "coal.story.why_little_apart": ("Why so little: a stock serves two members only if they are hit at different "
                                    "times, and no event hits two of them together in these data: what hits one member "
                                    "alone is covered by its own stock or by what another lends (see '{section}').",
                                    "왜 이렇게 적은가: 비축은 두 회원국이 서로 다른 때 영향받을 때만 둘 모두에 쓰이며, 이 "
                                    "데이터에는 두 회원국을 함께 치는 사건이 없습니다: 한 회원국만 치는 사건은 자국 비축이나 "
                                    "다른 회원국이 빌려주는 비축으로 대응합니다 ('{section}' 참조)."),
    "coal.sec.worth": ("What each partnership is worth", "협력별 가치"),
    "coal.sec.split": ("The fair split", "공정한 배분"),
    "coal.sec.core": ("Is the split stable? The core", "배분은 안정적인가? 코어"),
    "coal.sec.marginal": ("What each member adds to each coalition", "회원국이 각 연합에 더하는 가치"),
    "coal.sec.hit": ("Who the disruptions hit, and when", "회원국별 공급 차질 영향과 시기"),
    "coal.sec.cover": ("What the joint stock and the swaps cover, and for whom", "공동비축·스와프의 회원국별 손실 보전"),
    "coal.sec.members": ("The members' figures", "회원국 수치"),
    "coal.sec.agreements": ("Korea's agreements with these partners on these minerals today",
                            "이 광물들에 대한 이 상대국들과의 한국 현행 협정"),
    "coal.worth.note": ("v(S) in USD, present value: what the coalition saves against its members alone.",
                        "v(S), USD 현재가치: 연합이 회원국 단독 대비 아끼는 금액."),
    "coal.split.note": ("Shapley value: each member's marginal saving averaged over the orders in which the coalition "
                        "could form. Own saving: what its own costs (its reserve, supply and expected disruption cost) "
                        "fall by in the grand coalition. The coalition's stocks are paid by whoever holds them (each "
                        "reserve by its member, the joint stock by no one member), so a member that draws on others' "
                        "reserves and lending saves more than its Shapley value and one that holds them for others "
                        "less. Pays to settle = own saving - Shapley value: what a member should pay the others "
                        "(negative: be paid) to end with its Shapley value; the members' payments add up to the joint "
                        "stock's cost, so with no joint stock they are transfers between members. In the plan found, "
                        "as proven: the least and most the plan found's settlement can be with every coalition's cost "
                        "anywhere within its proven gap. In plans as cheap, and least and most: what it pays to settle "
                        "in any plan of the grand coalition within its proven gap (plans as cheap may hold the "
                        "reserves with other members). Which way it settles is said only when the whole range is on "
                        "one side, else 'not significant'.",
                        "섀플리 값: 연합이 만들어질 수 있는 모든 순서에 대한 각 회원국의 한계 절감액 평균. 자체 절감액: 전체 "
                        "연합에서 자국 비용(예비 비축, 조달, 기대 공급 차질 비용)이 줄어드는 금액. 연합의 비축 비용은 보유한 "
                        "쪽이 냅니다 (예비 비축은 그 회원국이, 공동비축은 어느 한 회원국도 아님). 그래서 다른 회원국의 예비 "
                        "비축과 대여에 기대는 회원국은 섀플리 값보다 더 아끼고, 남을 위해 보유하는 회원국은 덜 아낍니다. "
                        "정산액 = 자체 절감액 - 섀플리 값: 섀플리 값만큼 갖도록 다른 회원국에 내야 할 금액 (음수: 받을 "
                        "금액); 회원국 정산액의 합은 공동비축 비용과 같으므로, 공동비축이 없으면 회원국 사이의 이전입니다. "
                        "찾은 계획의 정산액 범위: 연합 비용이 증명된 최적성 차이 안의 어느 값이든 될 때 찾은 계획의 정산액이 "
                        "가질 수 있는 최소와 최대. 비용이 같은 계획의 정산액 범위, 하한과 상한: 증명된 최적성 차이 "
                        "이내의 전체 연합 계획에서 내야 할 정산액의 최소와 최대 (비용이 같은 계획은 비축을 다른 회원국에 "
                        "둘 수 있음). 정산 방향은 범위 전체가 한쪽에 있을 때만 말하고, "
                        "아니면 '유의하지 않음'입니다."),
    "coal.split.no_settlement": ("Settlements are not computed with a CVaR term: the CVaR does not split by member.",
                                 "CVaR 항이 있으면 정산액을 계산하지 않습니다: CVaR는 회원국별로 나뉘지 않습니다."),
    "coal.core.in": ("In the core: every coalition should get at least what it saves alone. Least-core ε {epsilon} USD "
                     "(at most 0 when the core holds an allocation); the nucleolus is the split that shorts the "
                     "worst-off coalition least.",
                     "코어 안: 모든 연합은 단독으로 아끼는 만큼은 받아야 합니다. 최소 코어 ε {epsilon} USD (코어에 배분이 "
                     "있으면 0 이하); 뉴클레올러스는 가장 불리한 연합의 부족분을 가장 작게 하는 배분입니다."),
    "coal.core.ns": ("Not significant: the plans found decide whether it is in the core, the solves' proven gaps do "
                     "not (a coalition's 'holds' says which way each could go). Least-core ε {epsilon} USD (at most 0 "
                     "when the core holds an allocation); the nucleolus is the split that shorts the worst-off "
                     "coalition least.",
                     "유의하지 않음: 코어 안인지는 찾은 계획이 정할 뿐, 풀이의 증명된 최적성 차이로는 정해지지 않습니다 (각 연합의 "
                     "'충족' 열 참조). 최소 코어 ε {epsilon} USD (코어에 배분이 있으면 0 이하); 뉴클레올러스는 가장 불리한 연합의 "
                     "부족분을 가장 작게 하는 배분입니다."),
    "coal.core.out": ("Not in the core: every coalition should get at least what it saves alone. Least-core ε "
                      "{epsilon} USD (at most 0 when the core holds an allocation); the nucleolus is the split that "
                      "shorts the worst-off coalition least.",
                      "코어 밖: 모든 연합은 단독으로 아끼는 만큼은 받아야 합니다. 최소 코어 ε {epsilon} USD (코어에 배분이 "
                      "있으면 0 이하); 뉴클레올러스는 가장 불리한 연합의 부족분을 가장 작게 하는 배분입니다."),
    "coal.hit.note": ("Expected tonnes each member loses alone (probability-weighted over the event's scenarios) and in "
                      "how many scenarios; a stock can serve two members only if they are hit apart.",
                      "회원국이 단독일 때 잃는 기대 물량 (사건의 시나리오에 대한 확률 가중)과 영향 시나리오 수; 비축은 "
                      "회원국들이 따로 영향받을 때만 둘 모두에 쓰일 수 있습니다."),
    "coal.cover.none": ("Nothing: in the grand coalition's plan no member draws on the joint stock or borrows. The "
                        "workbook's Losses covered sheet shows how every member covers every scenario in every "
                        "coalition.",
                        "없음: 전체 연합의 계획에서 공동비축을 쓰거나 빌리는 회원국이 없습니다. 워크북의 대응 시트에 모든 "
                        "연합에서 회원국별 시나리오 대응이 있습니다."),
    "coal.agreements.note": ("These lines stay open to Korea in every coalition, as they are; the coalition's pooling "
                             "comes on top of them.", "이 물량은 모든 연합에서 그대로 한국에 열려 있으며, 연합의 공동 운용은 "
                             "그 위에 더해집니다."),
    # A chart of one mineral group (or of all minerals, a CVaR term linking them) names it: one series, no legend.
    "coal.chart.value": ("v(S) by coalition: {group} ({unit})", "연합별 v(S): {group} ({unit})"),
    "coal.chart.value_by_mineral": ("v(S) by coalition and mineral ({unit})", "연합·광물별 v(S) ({unit})"),
    "coal.chart.shapley": ("Shapley value by member: {group} ({unit})", "회원국별 섀플리 값: {group} ({unit})"),
    "coal.chart.shapley_by_mineral": ("Shapley value by member and mineral ({unit})", "회원국·광물별 섀플리 값 ({unit})"),
    "coal.chart.shapley_nothing": ("No chart: every member's Shapley value is 0, as pooling saves nothing in this "
                                   "study.", "차트 없음: 이 분석에서는 공동 운용으로 아끼는 것이 없어 모든 회원국의 섀플리 "
                                   "값이 0입니다."),
    "coal.key.value": ("What the members save together, v({coalition})", "회원국이 함께 아끼는 금액, v({coalition})"),
    "coal.key.shapley": ("Shapley value: {member}", "섀플리 값: {member}"),
    "coal.key.core": ("The Shapley split is in the core", "섀플리 배분이 코어 안에 있음"),
    "coal.key.nucleolus": ("Nucleolus: {member}", "뉴클레올러스: {member}"),
    # A member's settlement in the plan found, then in any plan as cheap (which may hold the reserves elsewhere: the
    # note of the low and high columns says so, in words short enough for the Summary's first column).
    "coal.key.settlement": ("Pays to settle, plan found (negative: is paid): {member}",
                            "솔버가 찾은 계획의 정산액 (음수: 수령): {member}"),
    "coal.key.settlement_any": ("Pays to settle, any plan as cheap: {member}",
                                "비용이 같은 어느 계획에서든 정산액: {member}"),
    "coal.key.joint": ("The joint stock's cost", "공동비축 비용"),
    "coal.key.fees": ("Fees of Korea's Agreements rows with these partners on these minerals",
                      "이 광물들에 대한 이 상대국들과의 한국 Agreements 행 수수료"),
    "coal.sheets": ("What each sheet holds", "시트별 내용"),
    "coal.sheets.line": ("{sheet}: {what}", "{sheet}: {what}"),
    "coal.sheet.coalitions": ("each coalition and mineral group: expected cost and bound, v(S) and its range, stocks "
                              "held, how solved.",
                              "모든 연합과 광물 그룹: 기대비용과 하한, 증명된 범위와 함께 v(S), 공동비축과 예비 비축, 풀이 "
                              "방법."),
    # Values and Shapley by mineral group and in total where there are several groups; one group's alone (_one).
    "coal.sheet.values": ("v(S) by coalition, by mineral group and in total.", "연합별 v(S) (광물 그룹별과 전체)."),
    "coal.sheet.values_one": ("v(S) by coalition.", "연합별 v(S)."),
    "coal.sheet.shapley": ("each member's Shapley value (by mineral group and in total), nucleolus share, own saving "
                           "and settlement in the plan found and plans as cheap.",
                           "회원국별 섀플리 값 (광물 그룹별과 전체), 뉴클레올러스 몫, 자체 절감액, 찾은 계획과 비용이 같은 "
                           "계획의 정산액."),
    "coal.sheet.shapley_one": ("each member's Shapley value, nucleolus share, own saving and settlement in the plan "
                               "found and plans as cheap.",
                               "회원국별 섀플리 값, 뉴클레올러스 몫, 자체 절감액, 찾은 계획과 비용이 같은 계획의 정산액."),
    "coal.sheet.shapley_chart": ("the Shapley values as a chart, by member and mineral group, its figures above it.",
                                 "회원국·광물 그룹별 섀플리 값 차트와 그 수치."),
    "coal.sheet.shapley_chart_one": ("the Shapley values as a chart, by member, its figures above it.",
                                     "회원국별 섀플리 값 차트와 그 수치."),
    "coal.sheet.settlement": ("Korea's own saving, Shapley value and settlement by mineral group, beside the joint "
                              "stock and fees.",
                              "광물 그룹별 한국의 자체 절감액, 섀플리 값, 정산액과 공동비축 비용, 협정 수수료."),
    "coal.sheet.settlement_partners": ("the joint stock's cost by mineral group (each member's settlement is on the "
                                       "Shapley sheet).",
                                       "광물 그룹별 공동비축 비용 (회원국별 정산액은 섀플리 배분 시트)."),
    "coal.sheet.core": ("each smaller coalition's value against what the Shapley split and nucleolus give it.",
                        "각 하위 연합의 가치와 섀플리 배분·뉴클레올러스가 주는 몫."),
    "coal.sheet.marginal": ("what each member adds to each coalition, with its proven range.",
                            "회원국이 각 연합에 더하는 가치와 증명된 범위."),
    "coal.sheet.exposure": ("who each disruption event hits when alone, and whether together.",
                            "각 공급 차질 사건이 단독으로, 또는 함께 어느 회원국에 영향을 주는지."),
    "coal.sheet.losses_covered": ("how each member meets each scenario in each coalition: own stock, joint stock, "
                                  "swaps borrowed and lent, spot, recycling and unmet ({rows} row{rows_s}).",
                                  "모든 연합에서 회원국별 시나리오 대응: 자체 비축, 공동비축, 스와프 차입과 대여, 현물, "
                                  "재자원화, 미충족 ({rows}행)."),
    "coal.sheet.partners": ("the members' figures used, their sources and which are estimates.",
                            "사용한 회원국 수치, 출처, 추정치 여부."),
    "coal.sheet.arrangements": ("Korea's Agreements rows with these partners on these minerals, signed or not.",
                                "이 광물들에 대한 이 상대국들과의 한국 Agreements 행, 체결 또는 가정."),
    "coal.sheet.run": ("the input, solver options, status and every figure of the .json.",
                       "입력, 솔버 옵션, 상태, .json의 모든 수치."),
    "coal.chart.usd_pv": ("USD, present value", "USD, 현재가치"),  # the workbook's chart's unit
})


# ---- sensitivity ------------------------------------------------------------------------------------------
SENS_COLS = {  # key: (id, Korean header, English note, Korean note)
    "finding": ("finding", "결과", "What the study found, in numbers", "분석 결과, 수치로"),
    "input": ("input", "입력", "The factor: figures that move together", "요인: 함께 움직이는 수치"),
    "input_id": ("input_id", "입력 ID", "The input's id, as the .json and the Samples sheet name it: its Uncertainty "
                 "row's factor, or a default range's group and column", "입력의 ID (.json과 표본 시트가 쓰는 이름): "
                 "Uncertainty 행의 factor, 또는 기본 범위의 묶음과 열"),
    "what": ("what", "대상", "Sheet, column and the rows it moves", "시트, 열, 움직이는 행"),
    "kind": ("kind", "종류", "declared, or the default range's kind of figure", "선언됨, 또는 기본 범위의 수치 종류"),
    "operation": ("operation", "연산", "scale, add or set", "scale(배율), add(가산) 또는 set(설정)"),
    "low": ("low", "하단", "Low end of the range", "범위의 하단"),
    "high": ("high", "상단", "High end of the range", "범위의 상단"),
    "figures": ("figures", "수치 수", "Figures it moves", "움직이는 수치의 수"),
    "sources": ("sources", "출처", "Sources rows its figures cite", "수치가 인용하는 Sources 행"),
    "from": ("from", "범위 출처", "The Uncertainty cells that declare it, or the default range",
             "범위를 선언한 Uncertainty 셀, 또는 기본 범위"),
    "in_model": ("in_model", "모형 반영", "yes: its edit changes a model HiGHS solves; no: it cannot move any output",
                 "예: 수정하면 HiGHS가 푸는 모형이 바뀜; 아니오: 어떤 출력도 움직일 수 없음"),
    "description": ("description", "설명", "What the range stands for", "범위가 뜻하는 것"),
    "output": ("output", "출력", "The output in words (its id in output_id)", "출력 (ID는 output_id 열)"),
    "output_id": ("output_id", "출력 ID", "The output's id, as the other sheets and the .json key it: total_cost_usd, "
                  "china_share_<year>, stock_days, or a decision's kind:item (contract:<supplier_id>, "
                  "feasible:<minerals>)", "다른 시트와 .json이 쓰는 출력의 ID: total_cost_usd, china_share_<연도>, "
                  "stock_days, 또는 결정의 종류:항목 (contract:<supplier_id>, feasible:<광물>)"),
    "sample_output": ("output", "{output}", "{words}", "{words}"),
    "input_alone": ("input", "입력", "The input moved alone, the others as in the workbook",
                    "홀로 움직인 입력, 나머지는 워크북 그대로"),
    "input_low": ("low", "하단", "The input's low end", "입력의 하단"),
    "input_high": ("high", "상단", "The input's high end", "입력의 상단"),
    "base_value": ("base_value", "기준값", "The output in the base plan", "기준 계획의 출력"),
    "change_at_low": ("change_at_low", "하단에서의 변화", "The output at the input's low end, less the base (blank: no "
                      "value there)", "입력 하단에서의 출력 - 기준 (공란: 값 없음)"),
    "change_at_high": ("change_at_high", "상단에서의 변화", "The output at the input's high end, less the base",
                       "입력 상단에서의 출력 - 기준"),
    "swing": ("swing", "변동폭", "The larger of the two changes, in size", "두 변화 중 큰 것의 크기"),
    "input_any": ("input", "입력", "The input", "입력"),
    "rank": ("rank", "순위", "By mu* on this output (blank: no step measured it, or too few Morris trajectories "
             "finished for a ranking)", "이 출력에 대한 mu* 순 (공란: 잰 단계가 없거나, 순위를 매길 만큼 Morris 궤적이 "
             "끝나지 않음)"),
    "mu_star": ("mu_star", "mu*", "Mean absolute elementary effect: the output's mean change (in its unit) when the "
                "input moves across its whole range", "기본 효과 절댓값의 평균: 입력이 범위 전체를 움직일 때 출력의 평균 "
                "변화 (출력 단위)"),
    "mu_star_conf": ("mu_star_conf", "mu* 신뢰구간", "Half-width of mu*'s 95% bootstrap confidence interval",
                     "mu*의 95% 부트스트랩 신뢰구간 반폭"),
    "sigma": ("sigma", "sigma", "Standard deviation of the effects: how much the effect depends on the other inputs "
              "(interactions, or a non-linear response)", "효과의 표준편차: 효과가 다른 입력에 얼마나 좌우되는가 "
              "(상호작용 또는 비선형 반응)"),
    "mu": ("mu", "mu", "Mean effect, with its sign: positive when the output rises with the input",
           "부호가 있는 평균 효과: 입력과 함께 출력이 오르면 양수"),
    "effects": ("effects", "효과 수", "Steps that measured it (both samples with a value)",
                "측정한 단계 수 (두 표본 모두 값이 있는 경우)"),
    "significant": ("significant", "유의함", "USD outputs: no when mu* is within the solver's proven gaps",
                    "USD 출력: mu*가 풀이의 증명된 최적성 차이 이내면 유의하지 않음"),
    "input_sobol": ("input", "입력", "One of the inputs ranked highest by Morris", "Morris 순위 상위 입력"),
    "S1": ("S1", "S1", "First-order index: the share of the output's variance the input explains alone",
           "1차 지수: 입력이 홀로 설명하는 출력 분산의 비중"),
    "S1_conf": ("S1_conf", "S1 신뢰구간", "Half-width of S1's 95% confidence interval", "S1의 95% 신뢰구간 반폭"),
    "ST": ("ST", "ST", "Total index: the share it explains with its interactions", "총 지수: 상호작용을 포함해 설명하는 비중"),
    "ST_conf": ("ST_conf", "ST 신뢰구간", "Half-width of ST's 95% confidence interval", "ST의 95% 신뢰구간 반폭"),
    "rows": ("rows", "표본 수", "Base samples N used (rows whose every sample has the output)",
             "사용한 기본 표본 수 N (모든 표본에 출력이 있는 행)"),
    "decision": ("decision", "결정", "What is decided: years under contract, modules built (recycling, refining), "
                 "agreement line held, or whether the minerals have a plan (1) or none (0); its id in output_id",
                 "결정하는 것: 계약 연수, 건설 모듈(재자원화, 정제), 협정 확보 물량, 또는 광물에 계획이 있는지(1) 없는지(0); "
                 "ID는 output_id 열"),
    "decision_id": ("output_id", "결정 ID", "The decision's id, kind:item, as the Morris sheet's output_id and the "
                    ".json's 'decision <id>' key it (contract, modules, line or feasible)",
                    "결정의 ID (종류:항목): 모리스 시트의 output_id와 .json의 'decision <ID>'가 같은 ID를 씀 "
                    "(contract, modules, line 또는 feasible)"),
    "item": ("item", "항목", "The supply option (its workbook name), recycling option, agreement or mineral",
             "공급처(워크북 이름), 재자원화 옵션, 협정 또는 광물"),
    "base": ("base", "기준", "In the base plan", "기준 계획의 값"),
    "least": ("least", "표본 중 최소", "The least in the samples drawn where it has a value; the base plan's is in "
              "'base', and may lie outside the samples' range (when every sample differs from it)",
              "값이 있는 뽑은 표본 중 최솟값; 기준 계획의 값은 '기준'에 있으며, 모든 표본이 기준과 다르면 표본 범위 밖일 수 "
              "있음"),
    "most": ("most", "표본 중 최대", "The most in the samples drawn where it has a value (the base plan's apart)",
             "값이 있는 뽑은 표본 중 최댓값 (기준 계획의 값은 제외)"),
    "changed": ("changed", "바뀐 표본", "Samples in which it differs from the base plan", "기준 계획과 다른 표본 수"),
    "samples": ("samples", "표본", "Samples in which it has a value", "값이 있는 표본 수"),
    "moved_most_by": ("moved_most_by", "가장 크게 움직인 입력", "Inputs by Morris mu* on it, largest first",
                      "이 결정에 대한 Morris mu* 순 입력, 큰 것부터"),
    "flips_alone_with": ("flips_alone_with", "홀로 바꾸는 입력", "Inputs that change it alone at an end of their range",
                         "범위 끝에서 홀로 이 결정을 바꾸는 입력"),
    "threshold": ("threshold", "문턱값", "Where the first of them flips it, by bisection ({steps} steps)",
                  "그중 첫 입력이 결정을 바꾸는 값, 이분법 ({steps}단계)"),
    "phase": ("phase", "단계", "base, one at a time, Morris, Sobol' or threshold (bisection)",
              "기준, 하나씩, Morris, Sobol' 또는 문턱값(이분법)"),
    "index": ("index", "번호", "Row of its phase's sample", "단계 표본의 행"),
    "sample_status": ("status", "상태", "optimal, feasible (time limit), infeasible (a mineral has no plan), no plan "
                      "within the time limit, invalid or failed verification",
                      "최적, 실행 가능(시간 제한), 실행 불가(광물에 계획 없음), 시간 내 해 없음, 무효 또는 검증 실패"),
    "message": ("message", "메시지", "Which minerals have no plan, or which rule the edited case broke",
                "계획이 없는 광물, 또는 수정한 사례가 어긴 규칙"),
    "note": ("note", "비고", "Inputs left out, and why", "제외한 입력과 그 이유"),
    "no_plan_at": ("no_plan", "계획 없음", "The ends at which the input alone leaves a mineral without a plan: there "
                   "the output has no value, and its change is blank", "입력 하나만으로 광물에 계획이 없어지는 끝: 그 "
                   "끝에서는 출력에 값이 없어 변화가 공란"),
}
_add_columns("sens", SENS_COLS)
PAGE_WORDS.update({f"sens_{key}": words for key, words in {
    "in_model": "in the model", "from": "range from", "base": "in the base plan",
    "changed": "samples where it changes", "samples": "samples with a plan", "least": "least in the samples",
    "most": "most in the samples",
    "moved_most_by": "moved most by (Morris mu*: mean absolute effect)",
    "flips_alone_with": "changed by one input alone", "input_id": "id",
}.items()})
# An input of a sensitivity study in a planner's words: its column's, by sheet and column id (the sheet and
# column stay beside it in the reports, where the figures are found).
SENS_COLUMN_WORDS = {
    ("Minerals", "shortage_penalty_usd_per_t"): ("shortage penalty (USD/t)", "부족 페널티 (USD/t)"),
    ("Minerals", "substitution_index"): ("substitution index", "대체 지수"),
    ("Minerals", "price_elasticity"): ("price elasticity of the world market", "세계 시장 가격 탄력성"),
    ("Countries", "political_risk"): ("political risk scores", "정치적 위험 점수"),
    ("Countries", "unga_agreement_share"): ("UN vote agreement with Korea", "UN 총회 투표 일치율"),
    ("Suppliers", "capacity_t_per_yr"): ("supply capacity (t/yr)", "공급 용량 (t/년)"),
    ("Suppliers", "price_usd_per_t"): ("supplier prices (USD/t)", "공급 단가 (USD/t)"),
    ("Suppliers", "price_escalation_per_yr"): ("yearly price escalation", "연간 가격 상승률"),
    ("Suppliers", "fixed_cost_usd_per_yr"): ("contract fixed costs (USD/yr)", "계약 고정비 (USD/년)"),
    ("Suppliers", "min_volume_t_per_yr"): ("contract minimum volumes (t/yr)", "계약 최소 물량 (t/년)"),
    ("Suppliers", "delivery_probability"): ("chance new projects deliver", "신규 사업 공급 확률"),
    ("Suppliers", "accessible_share"): ("share of capacity Korea can take", "한국이 확보할 수 있는 용량 비중"),
    ("Demand", "demand_t"): ("demand (t)", "수요 (t)"),
    ("Recycling", "module_capacity_t_per_yr"): ("recycling module capacity", "재자원화 모듈 용량"),
    ("Recycling", "capital_cost_usd_per_module"): ("recycling investment per module", "재자원화 모듈당 투자비"),
    ("Recycling", "operating_cost_usd_per_t"): ("recycling operating cost", "재자원화 운영비"),
    ("Recycling", "recovery_yield"): ("recycling recovery yield", "재자원화 회수율"),
    ("Streams", "collection_rate"): ("collection rate of retired units", "폐기 제품 수거율"),
    ("Streams", "content_t_per_unit"): ("mineral content per unit", "단위당 광물 함량"),
    ("Streams", "recovery_yield"): ("recovery yield of the plants", "설비 회수율"),
    ("Put on market", "units"): ("units put on the market", "시장 출시 수량"),
    ("Lifetimes", "share_retiring"): ("shares retiring by age", "연령별 폐기 비중"),
    ("Refining", "module_capacity_t_per_yr"): ("refinery module capacity", "정제 모듈 용량"),
    ("Refining", "capital_cost_usd_per_module"): ("refinery investment per module", "정제 모듈당 투자비"),
    ("Refining", "operating_cost_usd_per_t"): ("refining conversion cost", "정제 전환 비용"),
    ("Feedstock", "feedstock_t"): ("recycling feedstock (t)", "재자원화 원료 (t)"),
    ("Stockpile", "initial_stock_t"): ("initial stock (t)", "초기 비축량 (t)"),
    ("Stockpile", "holding_cost_usd_per_t_yr"): ("stock holding cost", "비축 유지비"),
    ("Stockpile", "purchase_premium_usd_per_t"): ("stock purchase premium", "비축 구매 할증"),
    ("Stockpile", "max_stock_t"): ("largest stock that can be held (t)", "최대 비축 가능량 (t)"),
    ("Stockpile", "initial_china_share"): ("China share of the initial stock", "초기 비축의 중국 비중"),
    ("Stockpile", "release_lead_days"): ("stock release lead time (days)", "비축 방출 소요일"),
    ("Stockpile", "max_release_t_per_month"): ("largest monthly stock release", "월 최대 비축 방출량"),
    ("Agreements", "fee_usd_per_yr"): ("agreement yearly fee", "협정 연회비"),
    ("Agreements", "emergency_volume_t"): ("agreement emergency volume (t)", "협정 비상 물량 (t)"),
    ("Agreements", "fee_usd_per_t_yr"): ("agreement fee per tonne of line", "협정 물량 톤당 수수료"),
    ("Agreements", "delivery_days"): ("agreement delivery time (days)", "협정 물량 도착 소요일"),
    ("WorldSupply", "world_share"): ("shares of world output", "세계 생산 비중"),
    ("Disruptions", "probability"): ("disruption probability", "공급 차질 확률"),
    ("Disruptions", "duration"): ("disruption duration", "공급 차질 기간"),
    ("Disruptions", "share_lost"): ("share of supply lost in a disruption", "공급 차질 시 손실 비중"),
    ("Disruptions", "spot_price_multiplier"): ("spot price in a disruption", "공급 차질 시 현물 가격 배수"),
    ("Disruption risks", "annual_probability"): ("yearly chance of a stop", "연간 공급 중단 확률"),
    ("Disruption risks", "duration_min_days"): ("shortest stop (days)", "최단 공급 중단 (일)"),
    ("Disruption risks", "duration_max_days"): ("longest stop (days)", "최장 공급 중단 (일)"),
    ("Disruption risks", "share_lost"): ("share of supply lost in a stop", "공급 중단 시 손실 비중"),
    ("Disruption risks", "spot_price_multiplier"): ("spot price in a stop", "공급 중단 시 현물 가격 배수"),
    ("Shortage costs", "cost_usd_per_t"): ("shortage cost curve (USD/t)", "부족 비용 곡선 (USD/t)"),
    ("Spot supply", "share_of_spare"): ("spot market steps' shares", "현물 시장 단계별 비중"),
    ("Spot supply", "price_factor"): ("spot market steps' prices", "현물 시장 단계별 가격"),
    ("Partners", "demand_t_per_yr"): ("partners' demand (t/yr)", "협력국 수요 (t/년)"),
    ("Partners", "stock_t"): ("partners' stocks (t)", "협력국 비축량 (t)"),
    ("Partners", "mandate_days"): ("partners' stock mandates (days)", "협력국 비축 의무 일수"),
    ("Partners", "china_share"): ("partners' China share", "협력국 중국 의존도"),
    ("Partners", "shortage_cost_usd_per_t"): ("partners' shortage cost (USD/t)", "협력국 부족 비용 (USD/t)"),
    ("Partners", "shortage_cost_factor"): ("partners' shortage cost factor", "협력국 부족 비용 배수"),
}

CATALOGUE.update({
    "sheet.uncertain_inputs": ("Inputs", "불확실한 입력"),
    "sheet.tornado": ("Tornado", "토네이도"),
    "sheet.morris": ("Morris", "모리스"),
    "sheet.sobol": ("Sobol", "소볼"),
    "sheet.samples": ("Samples", "표본"),
    "sheet.notes": ("Notes", "비고"),
    "status.invalid": ("invalid: the edited case breaks a rule of the workbook", "무효: 수정한 사례가 워크북 규칙을 어김"),
    "sens.title": ("Which assumptions decide the plan: {workbook}", "민감도 분석 — 계획을 좌우하는 가정: {workbook}"),
    "sens.subtitle": ("{workbook}: decisions {first}-{last}, {currency} of {price_year}, present value; {n} sample{n_s}, "
                      "{plans} solved to a {gap} gap and verified; seed {seed}; input SHA-256 {sha}",
                      "{workbook}: 의사결정 기간 {first}-{last}, {price_year}년 가격 {currency}, 현재가치; 표본 {n}개, "
                      "{plans_object} 최적성 차이 {gap}까지 풀고 검증; 시드 {seed}; 입력 SHA-256 {sha}"),
    "sens.plans.hedged": ("hedged plans", "헤지 계획"),
    "sens.plans.least_cost": ("least-cost plans", "최소비용 계획"),
    "sens.heading": ("What decides the plan", "무엇이 계획을 좌우하나"),
    "sens.as_in_workbook": ("as in the workbook", "워크북 그대로"),
    "sens.run.input": ("{input} ({range}): mu* {mu}, sigma {sigma}", "{input} ({range}): mu* {mu}, sigma {sigma}"),
    "sens.run.no_sigma": ("none (one step only)", "없음 (단계 1개뿐)"),
    "sens.run.decision": ("base {base}; {low} to {high} in the samples; changed in {changed} of {seen}",
                          "기준 {base}; 표본에서 {low}~{high}; 표본 {seen}개 중 {changed}개에서 바뀜"),
    "sens.run.moved": ("moved most by {inputs}", "가장 크게 움직인 입력: {inputs}"),
    "sens.range": ("{low} to {high}", "{low}에서 {high}까지"),
    "sens.no_value": ("no value", "값 없음"),
    "sens.a_plan": ("a plan", "계획 있음"),
    "sens.no_plan": ("no plan", "계획 없음"),
    "sens.no_plan_at_all": ("no plan at all", "계획이 전혀 없음"),
    "sens.line_held": ("a line held", "협정 물량 확보"),
    "sens.no_line": ("no line", "협정 물량 없음"),
    "sens.threshold.below": ("{input} below {value} (between {before} and {value}): {after}",
                             "{input} {value} 미만 ({before}~{value} 사이): {after}"),
    "sens.threshold.above": ("{input} above {value} (between {before} and {value}): {after}",
                             "{input} {value} 초과 ({before}~{value} 사이): {after}"),
    "sens.out.cost": ("total cost of the plan, present value", "계획의 총비용, 현재가치"),
    "sens.out.cost_hedged": ("expected cost of the hedged plan (its objective), present value",
                             "헤지 계획의 기대비용 (목적값), 현재가치"),
    "sens.out.strategy_cost_usd": ("cost of the strategy: the plan's cost minus the cost with no policy limit",
                                   "전략의 비용: 계획 비용 - 정책 한도가 없을 때의 비용"),
    "sens.out.china": ("China share of {basis} in {year}, mean over minerals (not tonne-weighted)",
                       "{year}년 중국 의존도 ({basis} 기준), 광물 평균 (물량 가중 아님)"),
    "sens.out.stock_days": ("stock cover in days of demand, mean over minerals and {item}",
                            "수요 일수로 본 비축, 광물과 {item} 평균"),
    "sens.out.feasible": ("{minerals}: a plan that meets all the policy limits", "{minerals}: 모든 정책 한도를 지키는 계획"),
    "sens.out.contract": ("years under contract: {item}", "계약 연수: {item}"),
    "sens.out.modules": ("modules built: {item}", "건설 모듈: {item}"),
    "sens.out.line": ("agreement line held, mean t a year: {item}", "협정 확보 물량, 연평균 t: {item}"),
    "sens.decision.contract": ("years under contract", "계약 연수"),
    "sens.decision.modules": ("modules built", "건설 모듈"),
    "sens.decision.line": ("agreement line held, mean t a year", "협정 확보 물량, 연평균 t"),
    "sens.decision.feasible": ("has a plan (1) or none (0)", "계획 있음(1) 또는 없음(0)"),
    "sens.phase.base": ("base", "기준"),
    "sens.phase.one at a time": ("one at a time", "하나씩"),
    "sens.phase.Morris": ("Morris", "모리스"),
    "sens.phase.Sobol'": ("Sobol'", "소볼"),
    "sens.phase.threshold": ("threshold", "문턱값"),
    "sens.what": ("{sheet} {column}: {n} figure{n_s}", "{sheet} 시트 {column} 열: 수치 {n}개"),
    "sens.default_range": ("default range ({kind})", "기본 범위 ({kind})"),
    "sens.held_fixed": ("held fixed", "고정"),
    "sens.declared": ("declared", "선언됨"),
    "sens.op.scale": ("scale", "배율"),
    "sens.op.add": ("add", "가산"),
    "sens.op.set": ("set", "설정"),
    # The kinds of default range (schema.DEFAULT_RANGES), by their words there.
    "sens.kind.probabilities": ("probabilities", "확률"),
    "sens.kind.elasticities": ("elasticities", "탄력성"),
    "sens.kind.prices and costs per tonne": ("prices and costs per tonne", "톤당 가격과 비용"),
    "sens.kind.fixed costs, capital and fees": ("fixed costs, capital and fees", "고정비, 투자비, 수수료"),
    "sens.kind.capacities and rates": ("capacities and rates", "용량과 비율"),
    "sens.kind.quantities: demand, feedstock, stocks, volumes, contents and units on the market": (
        "quantities: demand, feedstock, stocks, volumes, contents and units on the market",
        "물량: 수요, 원료, 비축, 물량, 함량, 시장 출시 수량"),
    "sens.kind.durations and lead times in days": ("durations and lead times in days", "기간과 소요 일수"),
    "sens.kind.price escalation": ("price escalation", "가격 상승률"),
    "sens.kind.multipliers": ("multipliers", "배수"),
    "sens.kind.shares, yields and scores": ("shares, yields and scores", "비중, 수율, 점수"),
    "sens.note.value_of": ("Value of {input} (blank: as in the workbook)", "{input}의 값 (공란: 워크북 그대로)"),
    "sens.story.morris": ("{n} Morris samples ({trajectories} trajectories)", "Morris 표본 {n}개 (궤적 {trajectories}개)"),
    "sens.story.morris_cut": ("{n} Morris samples ({done} of the {trajectories} trajectories asked for)",
                              "Morris 표본 {n}개 (요청한 궤적 {trajectories}개 중 {done}개)"),
    "sens.story.sobol": (" and {n} Sobol' samples (N = {base})", "와 Sobol' 표본 {n}개 (N = {base})"),
    "sens.story.inputs": ("{n} uncertain input{n_s}: {declared} from the Uncertainty sheet and {default} default "
                          "range{default_s} over the figures marked estimate; {in_model} of them reach the model (the "
                          "others feed only what this run does not use). Each was solved alone at both ends of its "
                          "range ({screen} sample{screen_s}), then {sampled}: {samples} sample{samples_s}, the counts "
                          "of samples below are over them (not the base case, nor the {search} solve{search_s} of the "
                          "search for thresholds); every plan verified. "
                          "The base plan costs {cost}.",
                          "불확실한 입력 {n}개: Uncertainty 시트에서 {declared}개, 추정치(Sources 시트의 estimate)로 "
                          "표시된 수치의 기본 범위 {default}개; 그중 {in_model}개가 모형에 닿습니다 (나머지는 이번 실행이 쓰지 않는 것에만 쓰임). 각 "
                          "입력을 범위 양 끝에서 홀로 풀고 (표본 {screen}개), 이어서 {sampled}: 표본 {samples}개이며, 아래의 표본 수는 "
                          "모두 이들에 대한 것입니다 (기준 사례와 문턱값 탐색의 풀이 {search}개는 제외); 모든 계획 검증. "
                          "기준 계획의 비용은 {cost}."),
    "sens.story.stopped": ("The run was stopped before it finished: the figures use the samples that finished.",
                           "실행이 끝나기 전에 중단되었습니다: 수치는 끝난 표본만 씁니다."),
    "sens.story.input": ("{input} ({range}: mu* {mu} over {steps} step{steps_s}; alone {low} at its low end, {high} at "
                         "its high end)",
                         "{input} ({range}: mu* {mu}, 단계 {steps}개; 홀로 하단에서 {low}, 상단에서 {high})"),
    "sens.story.top": ("The {n} input{n_s} moving the total cost most (Morris mu* over {trajectories} trajectories, the "
                       "mean change of the cost when the input moves across its whole range): {inputs}.",
                       "총비용을 가장 크게 움직이는 입력 {n}개 (궤적 {trajectories}개의 Morris mu*: 입력이 범위 전체를 "
                       "움직일 때 비용의 평균 변화): {inputs}."),
    "sens.story.noise": ("Cost differences of {usd} or less are within the solver's proven gaps and not significant.",
                         "{usd} 이하의 비용 차이는 풀이의 증명된 최적성 차이 이내라 유의하지 않습니다."),
    "sens.story.proven": ("The solver proved every plan optimal to within USD 1, so every cost difference of USD 1 "
                          "or more is significant.",
                          "풀이가 모든 계획의 최적성을 USD 1 이내로 증명했으므로, USD 1 이상의 비용 차이는 모두 "
                          "유의합니다."),
    "sens.story.moves": ("{output} (base {base}) moves most with {inputs}.",
                         "{output} (기준 {base}): 가장 크게 움직이는 입력은 {inputs}."),
    "sens.story.sobol_indices": ("Sobol' indices of the total cost over the {n} input{n_s} ranked highest (the others as "
                                 "in the workbook): {indices}.",
                                 "순위 상위 입력 {n}개에 대한 총비용의 Sobol' 지수 (나머지는 워크북 그대로): {indices}."),
    "sens.story.no_plan": ("{minerals} has no plan in {n} of {of} sample{of_s}: the policy limits cannot all be met",
                           "{minerals}: 표본 {of}개 중 {n}개에서 계획 없음 (정책 한도를 모두 지킬 수 없음)"),
    "sens.story.no_plan_group": ("{minerals} have no plan in {n} of {of} sample{of_s}: the policy limits cannot all be met",
                                 "{minerals}: 표본 {of}개 중 {n}개에서 계획 없음 (정책 한도를 모두 지킬 수 없음)"),
    "sens.story.when": (" when {when} (the other inputs as in the workbook)",
                        ", 조건: {when} (나머지 입력은 워크북 그대로)"),
    "sens.or_when": (" or when ", " 또는 "),
    "sens.story.depends": ("; it depends most on {inputs}", "; 가장 크게 좌우하는 입력: {inputs}"),
    "sens.story.depend": ("; they depend most on {inputs}", "; 가장 크게 좌우하는 입력: {inputs}"),
    "sens.story.flips": ("Decisions that change inside the ranges: {n}; {alone} of them flip with one input alone, "
                         "at the values in the table '{table}'.",
                         "범위 안에서 결정 {n}개가 바뀌며, 그중 {alone}개는 입력 하나만으로 바뀝니다 ('{table}' 표의 값)."),
    "sens.story.no_flips": ("No decision of the plan changes inside the ranges.", "범위 안에서 바뀌는 계획의 결정이 없습니다."),
    "sens.story.invalid": ("{n} sample{n_s} broke a rule of the workbook where several inputs moved at once; they are "
                           "counted, not solved (the Samples sheet says which rule).",
                           "여러 입력이 함께 움직인 표본 {n}개가 워크북 규칙을 어겼습니다; 세기만 하고 풀지 않았습니다 (어긴 "
                           "규칙은 표본 시트에)."),
    "sens.sec.tornado": ("What each input does alone: tornadoes", "입력 하나씩의 효과: 토네이도"),
    "sens.sec.morris": ("Morris screening: mu* (the mean effect across the whole range) and sigma (how much it depends "
                        "on the other inputs)", "Morris 선별: mu*(범위 전체의 평균 효과)와 sigma(다른 입력에 좌우되는 "
                        "정도)"),
    "sens.sec.sobol": ("Sobol' indices of the inputs ranked highest", "순위 상위 입력의 Sobol' 지수"),
    "sens.sec.no_plan": ("Where minerals have no plan", "광물에 계획이 없는 경우"),
    "sens.sec.flips": ("Decisions that flip inside the ranges", "범위 안에서 바뀌는 결정"),
    "sens.sec.inputs": ("The uncertain inputs", "불확실한 입력"),
    "sens.sec.samples": ("Samples", "표본"),
    **{f"sens.column.{sheet}.{column}": words for (sheet, column), words in SENS_COLUMN_WORDS.items()},
    "sens.input": ("{group}: {words}", "{group}: {words}"),
    "sens.group.battery minerals": ("battery minerals", "배터리 광물"),
    "sens.where": ("{sheet} {column}", "{sheet} 시트 {column} 열"),
    "sens.col.where": ("in the workbook", "워크북 위치"),
    "sens.not_significant": ("not significant", "유의하지 않음"),
    "sens.no_significant_change": ("no significant change", "유의한 변화 없음"),
    "sens.one_step": ("one step only", "단계 1개뿐"),
    "sens.morris_noise": ("Effects on the cost of {usd} or less are within the solves' proven gaps: not significant "
                          "(so marked; inputs whose mu* is that small are not listed).",
                          "{usd} 이하의 비용 효과는 풀이의 증명된 최적성 차이 이내라 유의하지 않습니다 (그렇게 "
                          "표시하며, mu*가 그만큼 작은 입력은 싣지 않음)."),
    "sens.morris_proven": ("The solves proved every plan optimal to within USD 1: every effect on the cost of USD 1 or "
                           "more is significant (inputs with no effect are not listed).",
                           "풀이가 모든 계획의 최적성을 USD 1 이내로 증명했으므로, USD 1 이상의 비용 효과는 모두 "
                           "유의합니다 (효과가 없는 입력은 싣지 않음)."),
    "sens.morris_sigma": ("sigma is the spread of an input's steps: an input measured by one step only has none.",
                          "sigma는 입력의 단계들 사이의 퍼짐이라, 단계 1개로만 잰 입력에는 없습니다."),
    "sens.unit.usd_k": ("USD thousand", "천 USD"),
    "sens.unit.usd_1": ("USD", "USD"),
    "sens.chart.morris_cost_mu": ("Morris: mu* of the total cost (no input has two steps for a sigma)",
                                  "Morris: 총비용의 mu* (sigma를 잴 단계 2개인 입력 없음)"),
    "sens.samples_counted": ("Over the {n} sample{n_s} drawn (each input alone at its ends, Morris's and Sobol'), as "
                             "every count of samples in this report; not the base case, nor the {search} solve{search_s} of the "
                             "search for thresholds (the Samples sheet lists them all). A sample's status is its worst "
                             "mineral's: infeasible where some mineral has no plan.",
                             "뽑은 표본 {n}개 (입력 하나씩 양 끝, Morris, Sobol')에 대한 수로, 이 보고서의 모든 표본 수와 "
                             "같습니다; 기준 사례와 문턱값 탐색의 풀이 {search}개는 제외 (표본 시트에 모두 있음). 표본의 "
                             "상태는 가장 나쁜 광물의 상태: 어느 광물이든 계획이 없으면 실행 불가."),
    "sens.col.input": ("input", "입력"),
    "sens.col.range": ("range", "범위"),
    "sens.col.steps": ("steps", "단계 수"),
    "sens.col.minerals": ("minerals", "광물"),
    "sens.col.without": ("samples without a plan", "계획 없는 표본"),
    "sens.col.samples": ("samples", "표본"),
    "sens.col.depends": ("depends most on", "가장 크게 좌우하는 입력"),
    "sens.col.alone": ("alone", "홀로 바꾸는 입력"),
    "sens.col.threshold": ("threshold", "문턱값"),
    "sens.unit.usd": ("USD M", "USD M"),
    "sens.unit.share": ("percentage points", "퍼센트포인트"),
    "sens.unit.days": ("days", "일"),
    "sens.at_low": ("at its low end ({unit})", "하단에서 ({unit})"),
    "sens.at_high": ("at its high end ({unit})", "상단에서 ({unit})"),
    "sens.axis.change": ("change from the base, {unit}", "기준 대비 변화, {unit}"),
    "sens.axis.sobol": ("share of variance (S1 alone, ST with interactions)", "분산 비중 (S1 단독, ST 상호작용 포함)"),
    "sens.chart.tornado_sheet": ("Tornado: {output}", "토네이도: {output}"),
    "sens.chart.tornado": ("{output}: change from the base ({base}) with each input alone at the ends of its range",
                           "{output}: 입력 하나씩 범위 양 끝에 둘 때 기준({base}) 대비 변화"),
    "sens.chart.morris_cost": ("Morris: mu* and sigma of the total cost", "Morris: 총비용의 mu*와 sigma"),
    "sens.chart.sobol_cost": ("Sobol' indices of the total cost", "총비용의 Sobol' 지수"),
    "sens.chart.sobol": ("Sobol' indices: {output} ({n} base samples)", "Sobol' 지수: {output} (기본 표본 {n}개)"),
    "sens.low_end": ("input at its low end", "입력 하단"),
    "sens.high_end": ("input at its high end", "입력 상단"),
    "sens.s1": ("S1 (alone)", "S1 (단독)"),
    "sens.st": ("ST (with interactions)", "ST (상호작용 포함)"),
    # What a Morris screening rests on: the trajectories that finished, and the inputs no step measured.
    "sens.story.stopped_morris": ("The run was stopped before it finished, after {done} of the {asked} Morris "
                                  "trajectories.",
                                  "실행이 끝나기 전에 중단되었습니다: Morris 궤적 {asked}개 중 {done}개만 끝났습니다."),
    "sens.story.partial_mu": ("The mu* below rest on those alone, and an input no finished step measured is not "
                              "measured, its effect unknown rather than small.",
                              "아래 mu*는 그 궤적들만의 값이며, 끝난 단계가 재지 못한 입력은 효과가 작은 것이 아니라 "
                              "측정되지 않은 것입니다."),
    "sens.story.no_ranking": ("No ranking of the inputs by Morris mu*: {done} of the {asked} trajectories finished, "
                              "and a ranking needs at least {least} (the least --trajectories the command takes). "
                              "'{tornado}' shows what each input does alone.",
                              "Morris mu*에 따른 입력 순위 없음: 궤적 {asked}개 중 {done}개만 끝났고, 순위에는 최소 "
                              "{least}개가 필요합니다 (명령이 받는 --trajectories의 최솟값). 입력 하나씩의 효과는 "
                              "'{tornado}'에 있습니다."),
    "sens.story.top_measured": ("Of the {measured} of {in_model} input{in_model_s} Morris measured on the total cost (mu* over "
                                "{trajectories} trajectories, the mean change of the cost when the input moves across "
                                "its whole range), the {n} moving it most: {inputs}.",
                                "모형에 닿는 입력 {in_model}개 중 Morris가 총비용에 대해 잰 {measured}개 가운데 (궤적 "
                                "{trajectories}개의 mu*: 입력이 범위 전체를 움직일 때 비용의 평균 변화) 총비용을 가장 크게 "
                                "움직이는 입력 {n}개: {inputs}."),
    "sens.story.unmeasured": ("Not measured on the total cost: {inputs} ({n} of the {in_model} input{in_model_s} in "
                              "the model). "
                              "No Morris step of them with a plan at both ends finished, so their effect is unknown, "
                              "not small; '{tornado}' shows what each does alone.",
                              "총비용에 대해 측정되지 않은 입력: {inputs} (모형에 닿는 입력 {in_model}개 중 {n}개). 양 "
                              "끝에 모두 계획이 있는 Morris 단계가 끝나지 않아, 효과가 작은 것이 아니라 알 수 없는 "
                              "것입니다; 입력 하나씩의 효과는 '{tornado}'에 있습니다."),
    "sens.morris_unmeasured": ("Not measured on this output (no Morris step with a value at both ends finished), its "
                               "effect unknown rather than small: {inputs}.",
                               "이 출력에 대해 측정되지 않은 입력 (양 끝에 모두 값이 있는 Morris 단계가 끝나지 않음), "
                               "효과가 작은 것이 아니라 알 수 없음: {inputs}."),
    "sens.and_more": (" and {n} more", " 외 {n}개"),
    # A decision that samples change but no input's Morris mu* moves, and why.
    "sens.moved_by.none": ("none: no Morris step changes it", "없음: 이 결정을 바꾼 Morris 단계가 없음"),
    "sens.moved_by.none_with_plan": ("none: no Morris step with a plan at both ends changes it",
                                     "없음: 양 끝에 모두 계획이 있는 Morris 단계 중 이 결정을 바꾼 것이 없음"),
    "sens.moved_by.no_morris": ("not measured: no Morris sample finished", "측정 없음: 끝난 Morris 표본이 없음"),
    # A tornado's end without a plan, in the workbook's chart as on the page.
    "sens.no_plan_ends": ("no plan ({ends})", "계획 없음 ({ends})"),
    "sens.chart.input_no_plan": ("{input} \u2014 {note}", "{input} \u2014 {note}"),
    "sens.col.no_plan": ("no plan at", "계획 없는 끝"),
    # Whose figures an input moves, where its rows are not named one by one (``input_name``).
    "sens.input_id": ("{input} ({id})", "{input} ({id})"),
    "sens.group.countries": ("{n} countries", "{n}개국"),
    "sens.group.rows": ("{n} row{n_s} of {sheet}", "{sheet} 시트의 행 {n}개"),
    "sens.group.all_minerals": ("all minerals", "모든 광물"),
    "sens.group.source": ("{rows} ({source})", "{rows} ({source})"),
    # The Notes: inputs left out and indices not estimated (``Note``); a workbook rule's message ({issue}) is the
    # workbook checker's own, in English.
    "sens.note.linked": ("Also {also}: a recycling plant links them to {minerals}, so they are planned together.",
                         "{also}도 포함: 재자원화 설비가 {minerals_with} 묶어 함께 계획합니다."),
    "sens.note.not_in_run": ("{input} ({where}): not varied, as {sheets} does not enter this run.",
                             "{input} ({where}): 변화시키지 않음. {sheets} 시트가 이번 실행에 쓰이지 않습니다."),
    "sens.note.not_in_run_hedged": ("{input} ({where}): not varied, as {sheets} does not enter this run (only with "
                                    "--hedged).", "{input} ({where}): 변화시키지 않음. {sheets} 시트가 이번 실행에 "
                                                  "쓰이지 않습니다 (--hedged에서만 쓰임)."),
    "sens.note.breaks_rule": ("{input}: no default range, as at its {end} end ({x}) the case breaks a rule: {issue}",
                              "{input}: 기본 범위 없음. 범위 {end}({x})에서 사례가 워크북 규칙을 어깁니다: {issue}"),
    "sens.note.no_room": ("{input}: no default range, as {low} to {high} leaves no room within its column's range "
                          "({range}).", "{input}: 기본 범위 없음. {low}에서 {high}까지의 범위가 열의 허용 범위({range}) "
                                        "안에 남지 않습니다."),
    "sens.note.sobol_rows": ("Sobol' indices of {outputs}: not estimated, as only {whole} of {rows} Saltelli rows "
                             "have them in every sample (at least {least} needed: a larger --samples, or narrower "
                             "ranges where samples have no plan).",
                             "{outputs}의 Sobol' 지수: 추정하지 않음. Saltelli 행 {rows}개 중 모든 표본에 값이 있는 "
                             "행이 {whole}개뿐입니다 (최소 {least}개 필요: 더 큰 --samples, 또는 표본에 계획이 없는 "
                             "곳의 범위를 좁히기)."),
    "sens.end.low": ("low", "하단"),
    "sens.end.high": ("high", "상단"),
})


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

# The default case's end-of-life streams (Streams sheet) by stream_id, in Korean: two plants recovering the same
# minerals are told apart by their streams.  사용후 배터리 is the ministry's word; the others are *plain*.
KO_STREAMS = {
    "li_ion_batteries": "사용후 리튬이온 배터리", "cell_scrap": "국내 셀 공장 공정 스크랩",
    "cathode_scrap": "국내 양극재 공장 공정 스크랩", "vehicle_magnets": "폐차 네오디뮴 영구자석",
    "magnet_swarf": "국내 자석 공장 가공 스크랩",
}


def check_lang(lang: str) -> str:
    """``lang`` if the catalogue has it, else ValueError naming the ones it has."""
    if lang not in LANGS:
        raise ValueError(f"{lang!r} is not a report language; choose one of {', '.join(LANGS)}")
    return lang


def label(key: str, lang: str = EN, **values: object) -> str:
    """The catalogue's text for ``key`` in ``lang``, its fields filled with ``values``.  A Korean field
    ``<name>_<role>`` not given, a role of ``PARTICLES`` (topic, subject, object, with, to), is ``<name>`` with
    its particle; an English field ``<name>_s`` or ``<name>_es`` not given is that plural ending, empty when
    ``<name>`` reads 1 ('1 day', '2 days')."""
    text = CATALOGUE[key][LANGS.index(check_lang(lang))]
    if not values:
        return text
    for _, f, _, _ in string.Formatter().parse(text):
        if f and f not in values:
            name, _, role = f.rpartition("_")
            if role in PARTICLES and name in values:
                values[f] = PARTICLES[role](str(values[name]), lang)
            elif role in PLURALS and name in values:
                values[f] = "" if str(values[name]) == "1" else role
    return text.format(**values)


class Worded(str):
    """A run fact in words (``runinfo``): the English text, which the .json keeps, that also knows its
    catalogue key, so that a Korean Run sheet words it in Korean (``in_lang``)."""

    def __new__(cls, key: str | Callable[..., str], english: str | None = None, **values: object) -> "Worded":
        """``key``: a catalogue key, or a report's function ``key(**values, lang=...)`` that words a fact of
        several parts from the catalogue (a sweep point's diagnosis); ``english``: the .json's text where
        another layer words it (the solver session's own words); a value may itself be ``Worded`` (a status
        in a sentence)."""
        text = super().__new__(cls, _worded(key, EN, values) if english is None else english)
        text.key, text.english, text.values = key, english, values
        return text

    def __getnewargs_ex__(self):  # a copy or pickle is made from the key, not from the English text
        return (self.key, self.english), self.values

    def in_lang(self, lang: str) -> str:
        return _worded(self.key, lang, self.values)


def _worded(key: str | Callable[..., str], lang: str, values: dict[str, object]) -> str:
    values = {k: v.in_lang(lang) if isinstance(v, Worded) else v for k, v in values.items()}
    return key(**values, lang=lang) if callable(key) else label(key, lang, **values)


def reason(why, lang: str = EN) -> str:
    """Why a case, sweep point or alternative has no plan a report may use (``planner.studies.reasons.Why``),
    in ``lang``; empty for none."""
    return label(f"why.{why.key}", lang, **why.values) if why is not None else ""


def _status_key(value: str) -> str:
    """A status's catalogue key: an alternative's "not applicable" is a status with a space in it."""
    return f"status.{value.replace(' ', '_')}"


def run_status(value: str) -> str:
    """A plan's status as a run fact: the .json keeps its id ("feasible"), a Korean Run sheet words it
    (``Worded``) where the catalogue knows it."""
    return Worded(_status_key(value), value) if _status_key(value) in CATALOGUE else value


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


def mineral_name_id(mineral_id: str, lang: str = EN) -> str:
    """A mineral by its id alone (no dataset at hand): in Korean, the strategy's word for it."""
    return KO_MINERALS.get(mineral_id.lower(), mineral_id) if lang == KO else mineral_id


def country_name(d: PlanningData, code: str, lang: str = EN) -> str:
    """A country by its Countries sheet name (in Korean, its Korean name; the ISO code if unknown)."""
    name = d.countries[code].name if code in d.countries else code
    if lang == KO and not is_korean(name):
        return KO_COUNTRIES.get(code, code)
    return EN_COUNTRIES.get(code, name) if ", " in name else name


# English names that running text gives 'the' ('pay the United States'): a union, kingdom, federation, republic or
# islands, or a name plural in form; a table's cells and headers keep the bare name.
_WITH_THE = re.compile(r"\b(United|Republic|Kingdom|Federation|Emirates|Islands)\b|^(Philippines|Netherlands|Bahamas|"
                       r"Maldives|Comoros|Seychelles|Gambia|Holy See)$")


def country_in_text(d: PlanningData, code: str, lang: str = EN) -> str:
    """A country as a sentence names it: its name (``country_name``), in English with 'the' where the name takes
    it ('the United States', 'the Philippines'); at a sentence's start ``capital`` it."""
    name = country_name(d, code, lang)
    return f"the {name}" if lang == EN and _WITH_THE.search(name) and not name.lower().startswith("the ") else name


def possessive(name: str, lang: str = EN) -> str:
    """A name's possessive in English: Korea's, the United States'; a Korean name as it is (한국 자체 비용)."""
    return name if lang != EN else name + ("'" if name.endswith("s") else "'s")


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


def words_list(items: list[str], lang: str = EN) -> str:
    """'a, b and c' in English, 'a·b·c' in Korean."""
    if lang == KO or len(items) < 2:
        return label("word.and", lang).join(items)
    return ", ".join(items[:-1]) + label("word.and", lang) + items[-1]


def year_list(years, lang: str | None = None) -> str:
    """Years in runs of consecutive ones: 2026, 2027, 2028, 2030 as '2026-2028, 2030' (a cell, any language),
    or with ``lang`` in words, '2026-2028 and 2030' ('2026-2028·2030')."""
    runs: list[list[int]] = []
    for y in sorted(years):
        if runs and y == runs[-1][-1] + 1:
            runs[-1].append(y)
        else:
            runs.append([y])
    texts = [f"{r[0]}-{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs]
    return ", ".join(texts) if lang is None else words_list(texts, lang)


def minerals_words(d: PlanningData, mineral_ids, lang: str = EN, capital: bool = True) -> str:
    """Minerals by name in words: 'Lithium, nickel and cobalt' ('lithium, ...' inside a sentence, not
    ``capital``), '리튬·니켈·코발트' (a group the model values together, ids joined by '+', in place of
    'lithium+nickel+cobalt')."""
    names = [mineral_name(d, m, lang) for m in mineral_ids]
    if lang == EN:
        names = [_lower(n, lang) if k or not capital else n for k, n in enumerate(names)]
    return words_list(names, lang)


def _lower(name: str, lang: str) -> str:
    return name[:1].lower() + name[1:] if lang == EN else name


def capital(text: str) -> str:
    """``text`` as a sentence or a name starts: its first letter in upper case (Korean has none)."""
    return text[:1].upper() + text[1:]


def agreement_name(d: PlanningData, agreement_id: str, lang: str = EN, with_id: bool = True) -> str:
    """An agreement by its partners, mineral and kind, id in brackets: 'Japan nickel swap (kor_jpn_ni)'."""
    a = d.agreements.get(agreement_id)
    if a is None:
        return agreement_id
    partners = words_list([country_name(d, c, lang) for c in a.partner_countries], lang)
    name = label("agreement.name", lang, partners=partners, mineral=_lower(mineral_name(d, a.mineral_id, lang), lang),
                 kind=label(f"agreement.{a.kind}", lang))
    return f"{name} ({agreement_id})" if with_id else name


def stream_name(d: PlanningData, stream_id: str, lang: str = EN) -> str:
    """An end-of-life stream by the first clause of its Streams sheet name ('Spent lithium-ion batteries'); in
    Korean by that name when it is written in Korean, else by the catalogue's words for the stream
    (``KO_STREAMS``); '' when there are none."""
    stream = d.streams.get(stream_id)
    name = clause(stream.name) if stream is not None and stream.name else ""
    if lang == KO and not is_korean(name):
        return KO_STREAMS.get(stream_id, "")
    return name


def plant_name(d: PlanningData, key: str, lang: str = EN, with_id: bool = True) -> str:
    """Who owns recycling or refining modules, as a reader names it, id in brackets: a stream plant by its
    stream and the minerals it recovers ('Spent lithium-ion batteries recycling: lithium, nickel and cobalt
    (bat_hydro)'; by its minerals alone when its stream has no name in ``lang``), a recycling option by its
    mineral, a refinery by its mineral."""
    if key in d.recycling_plants:
        outputs = [r.mineral_id for r in d.recycling.values() if r.plant_id == key]
        minerals = minerals_words(d, outputs, lang)
        stream = stream_name(d, d.recycling_plants[key].stream_id, lang)
        if stream:
            name = label("plant.stream", lang, stream=stream, minerals=_lower(minerals, lang))
        else:
            name = label("plant.minerals", lang, minerals=minerals)
    elif key in d.recycling:
        name = label("plant.minerals", lang, minerals=mineral_name(d, d.recycling[key].mineral_id, lang))
    elif key in d.refineries:
        name = label("plant.refinery", lang, mineral=_lower(mineral_name(d, d.refineries[key].mineral_id, lang), lang))
        name = capital(name)
    else:
        return key
    return f"{name} ({key})" if with_id else name


def decision_name(d: PlanningData, kind: str, item: str, lang: str = EN, with_id: bool = True) -> str:
    """What a decision is about, as the pages name it: a supply option (``kind`` 'supplier'), the recycling
    plant or refinery that owns modules ('recycling'), an agreement, a mineral's stock; the id in brackets
    (``with_id``; a mineral by its name alone); anything else by its id."""
    if kind == "stock":
        return mineral_name(d, item, lang)
    if kind == "supplier" and item in d.suppliers:
        return option_name(d, item, lang, with_id)
    namer = {"recycling": plant_name, "agreement": agreement_name}.get(kind)
    return namer(d, item, lang, with_id) if namer else item


def clause(text: str, most: int = 90) -> str:
    """The first clause of a description (up to its first ':', '(', ';' or sentence end), at most ``most``
    characters (cut at a comma, or a word with an ellipsis): the words a name can be made of."""
    cut = min([k for k in (text.find(sep) for sep in (": ", " (", "; ", ". ", " – ", " - ")) if k > 0],
              default=len(text))
    text = text[:cut].strip().rstrip(".:;,")
    if len(text) <= most:
        return text
    comma = text.rfind(", ", 0, most)  # a long clause ends at its last comma that fits, else at a word
    return text[:comma] if comma > most // 2 else text[:most].rsplit(" ", 1)[0] + "…"


# A sampled scenario's event is its stops, 'risk@start year+days' joined by ' & ' (models.sampling).
SAMPLE_STOPS = 3  # a sampled scenario's name lists at most this many stops
NAMED_MINERALS = 3  # a Korean disruption name lists at most this many minerals, else counts them


def disruption_name(d: PlanningData, scenario, lang: str = EN, year_first: bool = False) -> str:
    """A disruption scenario (``models.dataset.DisruptionScenario``) as a planner names it: its event's
    description or name in words and the year it starts ('DR Congo halts cobalt exports for eight months, from
    2028'; ``year_first``, for a chart's label that may be clipped: '2028: DR Congo halts ...'); a sampled
    scenario by its number and its stops ('Sample 7: China withholds graphite export licences from 2029 for 312
    days; ...').  The scenario's id stays the key of the workbook's rows and the .json."""
    if scenario.draws:
        risks = {r.name: r for r in d.disruption_risks}
        stops = [label("res.dis.stop", lang, year=year, days=days(f"{length:.0f}", lang),
                       name=_risk_name(d, risks.get(risk), risk, lang)) for risk, year, length in scenario.draws]
        if len(stops) > SAMPLE_STOPS:
            stops = stops[:SAMPLE_STOPS] + [label("res.dis.more", lang, n=len(stops) - SAMPLE_STOPS)]
        number = scenario.name.removeprefix("sample").lstrip("0") or scenario.name
        return label("res.dis.sample", lang, n=number, stops=label("word.sep", lang).join(stops))
    years = [y for (_s, y), share in scenario.loss.items() if share > 0] or [y for _s, y in scenario.loss]
    event = scenario.event or scenario.name
    name = _event_name(d, event, scenario.description, _minerals_of(d, (s for s, _y in scenario.loss)),
                       [st.country for st in scenario.stops], lang,
                       _stop_days([sc for sc in d.disruptions if sc.event == event] or [scenario]))
    if not years or str(min(years)) in name:  # a description that gives its year does not get it twice
        return name
    if year_first:
        return label("res.dis.year_first", lang, name=name, year=min(years))
    return label("res.dis.from", lang, name=name, year=min(years))


def what_if_name(d: PlanningData, changes, lang: str = EN) -> str:
    """A what-if scenario in words, from its Scenarios rows (``planner.workbook.scenarios.Change``), for where
    its description cannot name it (none, or not in ``lang``): what the rows of its first row's kind change, in
    the years they change it ('China graphite supply stops', '중국 흑연 공급 중단'; '리튬 가격 1.5배,
    2026-2030년'; '중국 의존도 상한 40%, 2030년부터').  Its other rows (a Settings switch, a limit lifted so
    that the case can be planned) serve the first and are left out; so they do when written above it: the
    first row that is neither names the scenario (a ban written below its allow_unmet_demand switch was named
    '설정 allow_unmet_demand: 예').  '' without rows."""
    if not changes:
        return ""
    kind = _change_kind(min(changes, key=_serving))
    groups: dict[tuple, list] = {}
    for c in changes:
        if _change_kind(c) == kind:
            groups.setdefault((c.sheet, c.column, c.operation, str(c.value)), []).append(c)
    words = words_list([_change_words(d, group, lang) for group in groups.values()], lang)
    words = capital(words)
    years = sorted({y for c in changes if _change_kind(c) == kind for y in _change_years(c)})
    if not years or (years[0] <= d.settings.first_year and years[-1] >= d.settings.last_year):
        return words
    if years[-1] >= d.settings.last_year:
        return label("res.dis.from", lang, name=words, year=years[0])
    return label("whatif.span", lang, name=words, first=years[0], last=years[-1])


def _serving(c) -> int:
    """How far a Scenarios row is from what its scenario is about: 0 a change of the case's data or limits, 1 a
    cap lifted (set to 100%, so that a ban can be planned), 2 a Settings switch (shortfalls allowed)."""
    if c.sheet == "Settings":
        return 2
    lifted = c.sheet == "Policy" and c.operation == "set" and c.column.endswith("_cap_share")
    return 1 if lifted and isinstance(c.value, (int, float)) and c.value >= 1 else 0


def _change_kind(c) -> tuple[str, str]:
    """Rows of one kind: any limit of the Policy sheet, else the same column of the same sheet."""
    return (c.sheet, "") if c.sheet == "Policy" else (c.sheet, c.column)


def _change_years(c) -> list[int]:
    """The years a row changes: a supplier's capacity or price years, or those of its Policy or Demand rows."""
    if c.years:
        return list(c.years)
    return [k[1] for k in c.keys if isinstance(k, tuple)]


def _change_words(d: PlanningData, group: list, lang: str) -> str:
    """Rows alike (one sheet, column, operation and value) in words."""
    c = group[0]
    keys = list(dict.fromkeys(k for ch in group for k in ch.keys))
    factor = f"{c.value:g}" if c.operation != "set" else ""
    if c.sheet == "Suppliers" and c.column in ("capacity_t_per_yr", "price_usd_per_t") and c.operation == "scale":
        what = _suppliers_words(d, keys, lang)
        if c.column == "price_usd_per_t":
            return label("whatif.price", lang, what=what, factor=factor)
        return label("whatif.supply_stop" if c.value == 0 else "whatif.supply_scale", lang, what=what, factor=factor)
    if c.sheet in ("Policy", "Demand"):
        minerals = list(dict.fromkeys(m for m, _y in keys))
        every = set(minerals) >= set(d.minerals)
        if c.sheet == "Demand":  # every mineral's demand, said so where there are more than a name lists
            return label("whatif.demand", lang, factor=factor, minerals=label("whatif.all_minerals", lang)
                         if every and len(minerals) > NAMED_MINERALS else _minerals_named(d, minerals, lang))
        named = "" if every else _minerals_named(d, minerals, lang)  # a limit on every mineral goes by its name
        value = limit_value(c.value, LIMIT_UNIT[c.column], lang) if c.operation == "set" else _change_value(c, lang)
        return label("whatif.policy", lang, minerals=f"{named} " if named else "", limit=limit_name(c.column, lang),
                     value=value)
    if c.sheet == "Settings":
        return label("whatif.setting", lang, setting=", ".join(keys), change=_change_value(c, lang))
    namer = {"Suppliers": _option_words, "Agreements": lambda d, k, lang: agreement_name(d, k, lang, False),
             "Recycling": lambda d, k, lang: plant_name(d, k, lang, False), "Minerals": mineral_name,
             "Stockpile": mineral_name, "Countries": country_name}.get(c.sheet, lambda _d, k, _lang: str(k))
    column = label(f"whatif.column.{c.column}", lang) if f"whatif.column.{c.column}" in CATALOGUE else c.column
    return label("whatif.edit", lang, items=words_list([namer(d, k, lang) for k in keys], lang), column=column,
                 change=_change_value(c, lang))


def _option_words(d: PlanningData, supplier_id: str, lang: str) -> str:
    """A supply option by its route and mineral: 'Indonesia \u2192 China nickel', '인도네시아 \u2192 중국 니켈'."""
    s = d.suppliers[supplier_id]
    mineral = _lower(mineral_name(d, s.mineral_id, lang), lang)
    return f"{route_name(d, s.origin_country, s.processing_country, lang)} {mineral}"


def _suppliers_words(d: PlanningData, supplier_ids: list[str], lang: str) -> str:
    """Supply options in words: one by its route and mineral ('인도네시아 \u2192 중국 니켈'), several by the
    countries they all touch, when they are not every option of their minerals, and their minerals ('중국 흑연')."""
    if len(supplier_ids) == 1:
        return _option_words(d, supplier_ids[0], lang)
    options = [d.suppliers[s] for s in supplier_ids]
    minerals = list(dict.fromkeys(s.mineral_id for s in options))
    named = _minerals_named(d, minerals, lang)
    every = {k for k, s in d.suppliers.items() if s.mineral_id in minerals}
    shared = set.intersection(*(set(s.countries) for s in options))
    if every <= set(supplier_ids) or not shared:
        return named
    where = words_list([country_name(d, c, lang) for c in sorted(shared)], lang)
    return f"{where} {_lower(named, lang)}"


def _minerals_named(d: PlanningData, minerals: list[str], lang: str) -> str:
    """Minerals in words, in the Minerals sheet's order, counted when more than a name can hold."""
    ordered = [m for m in d.minerals if m in minerals] + [m for m in minerals if m not in d.minerals]
    if len(ordered) > NAMED_MINERALS:
        return label("res.dis.many_minerals", lang, n=len(ordered))
    return minerals_words(d, ordered, lang)


# The unit of each Policy limit column (share, score or days), as the diagnosis gives it.
LIMIT_UNIT = {column: unit for column, _direction, unit in FAMILY_LIMIT.values()}


def limit_value(value: float | None, unit: str, lang: str = EN) -> str:
    """A limit's value (a ``FAMILY_LIMIT`` unit, or 't' of demand) as a planner types it, wherever a report
    names it: a share in percent to 0.1 point ('65.5%', '20%'), a score to 0.001 ('0.35'), days to 0.1 day
    ('37 days', '37일'), tonnes whole ('1,200 t'); 'blank' (공란) for none."""
    if value is None:
        return label("word.blank", lang)
    if unit == "share":
        return f"{round(value * 100, 1):,g}%"
    if unit == "days":
        return days(f"{round(value, 1):,g}", lang)
    if unit == "t":
        return f"{value:,.0f}\u00a0t"  # no break between the number and its unit, as html.tonnes
    return f"{round(value, 3):g}"


def _change_value(c, lang: str) -> str:
    """An edit's change: 'x1.5' (scale), '+2' (add), or the value set (yes or no in words)."""
    if c.operation == "scale":
        return f"x{c.value:g}"
    if c.operation == "add":
        return f"{c.value:+g}"
    if isinstance(c.value, bool):
        return label("word.yes" if c.value else "word.no", lang)
    return f"{c.value:g}" if isinstance(c.value, float) else str(c.value)


def event_name(d: PlanningData, event: str, lang: str = EN) -> str:
    """A Disruptions sheet event (all its start years) as a planner names it (see ``disruption_name``)."""
    scenarios = [sc for sc in d.disruptions if sc.event == event]
    if not scenarios:
        return event
    sc = scenarios[0]
    return _event_name(d, event, sc.description, _minerals_of(d, (s for s, _y in sc.loss)),
                       [st.country for st in sc.stops], lang, _stop_days(scenarios))


def _stop_days(scenarios) -> float:
    """How long an event stops supply, in days: the longest stop of one option over the event's scenarios (its
    start years; a start near the horizon's end is cut short by it)."""
    longest = 0.0
    for sc in scenarios:
        per_option: dict[str, float] = {}
        for (s, y), share in sc.loss.items():
            if share > 0:
                per_option[s] = per_option.get(s, 0.0) + sc.stopped(s, y)[0]
        longest = max([longest, *per_option.values()])
    return longest


def _duration(stop_days: float, lang: str) -> str:
    """'1 year', '2 years' for whole years of stop, else '240 days' (in Korean '1년', '240일')."""
    years = stop_days / DAYS_PER_YEAR
    if years >= 1 and abs(years - round(years)) < 1e-9:
        return counted(f"{round(years)}", "years", lang)
    return days(f"{stop_days:,.0f}", lang)


def _risk_name(d: PlanningData, risk, name: str, lang: str) -> str:
    if risk is None:
        return name
    return _event_name(d, risk.name, risk.description, _minerals_of(d, risk.share_lost),
                       [st.country for st in risk.stops], lang)


def _minerals_of(d: PlanningData, supplier_ids) -> set[str]:
    return {d.suppliers[s].mineral_id for s in supplier_ids if s in d.suppliers}


def _event_name(d: PlanningData, event: str, description: str, minerals: set[str], countries: list[str],
                lang: str, stop_days: float = 0.0) -> str:
    """The first clause of the description where it is in ``lang`` (its own words say how long the event
    lasts); else a name made of the event's id in words in English ('sea_lane_closure' -> 'Sea lane closure'),
    of the countries and minerals it stops in Korean, and of how long it stops them where ``stop_days`` is
    known ('Sea lane closure for 60 days', '... 공급 차질 60일간')."""
    if description and (lang == EN) != is_korean(description):
        return clause(description)
    if lang == EN:
        words = event.replace("_", " ").strip()
        name = capital(words)
    else:
        named = _minerals_named(d, sorted(minerals), lang)
        where = words_list([country_name(d, c, lang) for c in dict.fromkeys(countries)], lang)
        name = label("res.dis.supply_stop", lang, where=f"{where} " if where else "", minerals=named)
    return label("res.dis.lasting", lang, name=name, duration=_duration(stop_days, lang)) if stop_days else name


def page_head(col, lang: str = EN) -> str:
    """A results column's (``plan_workbook.Col``) header on a page: in English the words of PAGE_WORDS where
    the workbook's header is an id, else the workbook's header."""
    key = col.key or col.name
    return PAGE_WORDS[key] if lang == EN and key in PAGE_WORDS else col.head(lang)


def limit_name(column: str, lang: str = EN) -> str:
    """A Policy column (or agreements, a pair, no policy) by the words its limit goes by."""
    return label(f"limit.{column}", lang)


def price_shown(usd: float | None) -> float | str | None:
    """A shadow price (USD per point) as a table shows it: '\u221e' for a limit that cannot be tightened with the
    contracts and modules held (``models.prices``), else the number (None: not priced)."""
    return "\u221e" if usd == math.inf else usd


def family_name(family: str, lang: str = EN) -> str:
    """A shadow-price or diagnosis family by the words its Policy limit goes by (a diagnosis may move demand)."""
    return limit_name(FAMILY_LIMIT[family][0], lang) if family in FAMILY_LIMIT else label(f"word.{family}", lang)


def cost_part(part: str, lang: str = EN) -> str:
    return label(f"cost.{part}", lang)


def cost_note(part: str, lang: str = EN) -> str:
    return label(f"cost_note.{part}", lang)


def sampling_kind(d) -> str | None:
    """Where a case's disruption scenarios come from: None for the Disruptions sheet's own, "sampled" for draws
    of the Disruption risks sheet (``--sample N --seed S``), "mixed" for both (``--mix``)."""
    drawn = sum(1 for sc in d.disruptions if sc.draws)
    return None if not drawn else "mixed" if drawn < len(d.disruptions) else "sampled"


def with_sampled_basis(subtitle: str, d, lang: str = EN) -> str:
    """A study's subtitle and, when its scenarios were drawn, where from, with the options that drew them: a
    sampled run's page said nowhere that its scenarios were draws."""
    kind = sampling_kind(d)
    if kind is None:
        return subtitle
    options = next(sc.cell for sc in d.disruptions if sc.draws) + (" --mix" if kind == "mixed" else "")
    return f"{subtitle}; " + label("scenarios.sampled_mix" if kind == "mixed" else "scenarios.sampled", lang,
                                   options=options)


def estimates_note(d, lang: str = EN) -> str:
    """That a page's results rest on the workbook's estimates, and how many Sources rows are marked estimate;
    empty for a workbook without any."""
    n = len(d.estimated_sources)
    return label("assume.estimates", lang, n=n) if n else ""


def measure(name: str, lang: str = EN) -> str:
    return label(f"measure.{name}", lang)


def definition(name: str, lang: str = EN, basis: str = "imports") -> str:
    """A measure's definition; exposure shares on Settings reliance_basis (``basis``)."""
    key = f"measure.{name}.def.{basis}"
    if key in CATALOGUE:
        return label(key, lang)
    key = f"measure.{name}.def"
    return label(key, lang, base=label(f"basis.{basis}", lang)) if "base" in fields(key)[0] else label(key, lang)


def unit_word(unit: str, lang: str = EN) -> str:
    """A unit in words where the catalogue has it (share, score, days, t), else as written (0-1, USD)."""
    key = f"unit.word.{unit}"
    return label(key, lang) if key in CATALOGUE else unit


def counted(n: str, unit: str, lang: str = EN) -> str:
    """A formatted number with its unit in words: '6 years' / '6년', '3 modules' / '모듈 3개'
    (``unit.count.<unit>``), else the number and ``unit_word``."""
    key = f"unit.count.{unit}"
    return label(key, lang, n=n) if key in CATALOGUE else f"{n} {unit_word(unit, lang)}"


def status(value: str, lang: str = EN) -> str:
    key = _status_key(value)
    return label(key, lang) if key in CATALOGUE else value


def topic(word: str, lang: str = EN) -> str:
    """In Korean, ``word`` with its topic particle (은 after a final consonant, else 는)."""
    return word + _particle(word, "은", "는") if lang == KO else word


def object_(word: str, lang: str = EN) -> str:
    """In Korean, ``word`` with its object particle (을 after a final consonant, else 를)."""
    return word + _particle(word, "을", "를") if lang == KO else word


def subject(word: str, lang: str = EN) -> str:
    """In Korean, ``word`` with its subject particle (이 after a final consonant, else 가)."""
    return word + _particle(word, "이", "가") if lang == KO else word


def with_(word: str, lang: str = EN) -> str:
    """In Korean, ``word`` with its particle 'and, with' (과 after a final consonant, else 와)."""
    return word + _particle(word, "과", "와") if lang == KO else word


def to(word: str, lang: str = EN) -> str:
    """In Korean, ``word`` with its particle 'to, as, by' (로 after a vowel or a final ㄹ, else 으로): a number by
    its last digit (1 일, 7 칠, 8 팔 end in ㄹ), a Latin letter by its English name (only m 엠, n 엔 take 으로)."""
    if lang != KO:
        return word
    last = _last_read(word)
    if _HANGUL.match(last):
        final = (ord(last) - 0xAC00) % 28
        return word + ("로" if final in (0, 8) else "으로")  # 8: ㄹ
    if last.isdigit():
        return word + ("으로" if last in "036" else "로")
    return word + ("으로" if last.lower() in "mn" else "로")


def _particle(word: str, after_consonant: str, after_vowel: str) -> str:
    """The particle as ``word`` is read aloud: a number by its last digit's Sino-Korean name (2 이, 4 사,
    5 오, 9 구 end in a vowel; 0 ends 십, 백, 천 or 만), a Latin letter by its English name (l, m, n, r
    end in a consonant)."""
    last = _last_read(word)
    if _HANGUL.match(last):
        return after_consonant if (ord(last) - 0xAC00) % 28 else after_vowel
    if last.isdigit():
        return after_vowel if last in "2459" else after_consonant
    return after_consonant if last.lower() in "lmnr" else after_vowel


def _last_read(word: str) -> str:
    """The last character of ``word`` as a particle hears it: tonnes after a number ('6,000 t', '(+6,000 t)') are
    read 톤, not the letter t; a bracketed aside at the end is not read, the particle agreeing with the words before
    it ('평균 (설정 risk_basis both)을', '… 2030년 (lithium_price_up)이'); a word all in brackets is read inside."""
    bare = word.rstrip()
    while bare.endswith(")"):
        head, inside = _split_aside(bare)
        bare = (head or inside).rstrip()
    return "톤" if _TONNES.search(bare) else bare[-1:]


def _split_aside(text: str) -> tuple[str, str]:
    """``text`` ending in ')' as (what comes before its bracketed aside, the aside's inside); an unmatched ')' is
    dropped: (text without it, '')."""
    depth = 0
    for i in range(len(text) - 1, -1, -1):
        depth += {")": 1, "(": -1}.get(text[i], 0)
        if depth == 0:
            return text[:i], text[i + 1:-1]
    return text[:-1], ""


_TONNES = re.compile(r"\d[ \u00a0]t$")
PARTICLES = {"topic": topic, "subject": subject, "object": object_, "with": with_, "to": to}
PLURALS = ("s", "es")  # English plural endings, for a field <name>_s or <name>_es


def days(n: str, lang: str = EN) -> str:
    """'100 days' / '100일' from a formatted number."""
    return label("unit.days", lang, n=n)


def points(n: str, lang: str = EN) -> str:
    """A change of a share in percentage points, '-2.4 pp' / '-2.4%p', from a formatted number."""
    return label("unit.points", lang, n=n)
