// The Oaxaca-Blinder decompositions against statsmodels 0.13.5 (OaxacaBlinder) and an independent
// implementation of Jann's (2008) delta method and Yun's (2004, 2005) decomposition on the
// microdata: tests/reference/intersectional/oaxaca_reference.py (1,350 participations: 700 women,
// 650 men; cells and cross-products in oaxaca_test_data.hpp). Every reference value below is from
// that script's output; the first group there is men (statsmodels' swap=False takes the lower code
// of the group column first), so most tests use oaxaca_order::men_minus_women.
//
// Tolerances: point estimates are exact computations on both sides (least squares, IRLS to 1e-12
// against GLM to 1e-14): 1e-9 relative (absolute 1e-12 near 0). Standard errors: the reference's
// gradients are central finite differences (h = 1e-6): 1e-6 relative (absolute 1e-9 near 0).
#include "jamstat/analysis/oaxaca_blinder.hpp"
#include "jamstat/analysis/oaxaca_blinder_logit.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "jamstat/engine/errors.hpp"
#include "oaxaca_test_data.hpp"

namespace jamstat::analysis {
namespace {

namespace ref {
// hours, categorical: detailed, reference = second, (first group = men)
const std::vector<double> second_explained{0.0, -0.19279817839637228, -0.008229803127720684, -0.12032541166720444, 0.08913488972601313, 0.000896874712577575, 0.11763847159478508, -0.2786670033098611, 0.00046573949661836363, -0.2961454272342794};
const std::vector<double> second_explained_se{0.0, 0.053261765078325723, 0.01199510778760099, 0.04296960988620804, 0.035603138303172806, 0.008863135174912289, 0.042149861960582284, 0.0665508257454781, 0.00466646750188862, 0.06558789632812753};
const std::vector<double> second_unexplained{5.150692536514526, -0.41300459622840835, 0.13261555574068792, 0.2861730066988856, -0.5603680764601691, -0.11757110867260775, 0.22990338722306897, -0.27993357445056904, -0.13487049322967717, 0.2576723319488099};
const std::vector<double> second_unexplained_se{0.3512940997193774, 0.1254482716673156, 0.15061690542504508, 0.1297953117855912, 0.2594929539001572, 0.09267586567563678, 0.07839967015135615, 0.14299175575007525, 0.17442676168682242, 0.09598498688964585};
const std::vector<double> second_endowments{0.0, -0.19279817839637228, -0.008229803127720684, -0.12032541166720444, 0.08913488972601313, 0.000896874712577575, 0.11763847159478508, -0.2786670033098611, 0.00046573949661836363, -0.2961454272342794};
const std::vector<double> second_endowments_se{0.0, 0.053261765078325723, 0.01199510778760099, 0.04296960988620804, 0.035603138303172806, 0.008863135174912289, 0.042149861960582284, 0.0665508257454781, 0.00466646750188862, 0.06558789632812753};
const std::vector<double> second_coefficients{5.150692536514526, -0.5668380155204533, 0.1255766724885001, 0.19237895204794875, -0.48549210451481495, -0.10170834004217656, 0.3992108102423433, -0.15822332468945205, -0.13567329378461573, 0.4166260432159329};
const std::vector<double> second_coefficients_se{0.3512940997193774, 0.17079705956810062, 0.14262438641497774, 0.08769840801203153, 0.22496431773689635, 0.080219543154977, 0.13344561713849723, 0.08131855564397952, 0.17545730929823353, 0.15358217231125146};
const std::vector<double> second_interaction{0.0, 0.15383341929204494, 0.007038883252187843, 0.09379405465093686, -0.07487597194535418, -0.015862768630431196, -0.16930742301927432, -0.12171024976111698, 0.0008028005549385517, -0.158953711267123};
const std::vector<double> second_interaction_se{0.0, 0.05724484897614016, 0.012039987546475502, 0.047875702885319414, 0.041078481995516024, 0.018216756341414096, 0.06452819268815366, 0.06509886824570296, 0.008010052669047186, 0.06465648144658166};
const std::vector<double> second_explained_total{-0.6880298482054437, 0.15471030808274452};
const std::vector<double> second_unexplained_total{4.551308969084548, 0.30361474528906424};
const std::vector<double> second_endowments_total{-0.6880298482054437, 0.15471030808274452};
const std::vector<double> second_coefficients_total{4.836549935957739, 0.30391601901386783};
const std::vector<double> second_interaction_total{-0.28524096687319145, 0.17648338945985964};
const std::vector<double> second_age_explained{-0.3213533931912974, 0.08494779166611398};
const std::vector<double> second_age_unexplained{0.005783966211165226, 0.04996599146760161};
const std::vector<double> second_birth_explained{0.20767023603337578, 0.06696167202154708};
const std::vector<double> second_birth_unexplained{-0.4480357979097079, 0.1965063181697191};
const std::vector<double> second_educ_explained{-0.5743466910475221, 0.11366300358274191};
const std::vector<double> second_educ_unexplained{-0.15713173573143635, 0.08568534977614901};
const std::vector<double> second_coef_first{31.831175536420847, 0.3316925237131697, -0.057645589719940715, -0.2740469339932291, 0.16019278000493392, -0.6162426907351495, 0.45604991073021545, -2.891613494401508, -0.4617485787667188, 3.353362073168228};
const std::vector<double> second_coef_second{26.68048299990632, 1.6412192922422697, -0.3983574918205224, -1.242861800421748, 1.0013919709959498, 0.03693013522378252, -1.0383221062197328, -2.0125950239045522, -0.16952917676908497, 2.1821242006736377};
// hours, categorical: detailed, reference = pooled_indicator (first group = men)
const std::vector<double> pooled_indicator_explained{0.0, -0.12237002944617632, -0.006210297340717106, -0.07174687774861507, 0.05854955401379047, -0.005144382719455585, 0.05052482531004757, -0.3458792025499691, 0.0006160724190888675, -0.3694504974626822};
const std::vector<double> pooled_indicator_explained_se{0.0, 0.03555213680542197, 0.008884416826359189, 0.027164201922285497, 0.02434223860946372, 0.007537290835705024, 0.028908708847581104, 0.0657485399781794, 0.006116451347839521, 0.0721409279684765};
const std::vector<double> pooled_indicator_unexplained{5.150692536514526, -0.48343274517860435, 0.13059604995368435, 0.23759447278029627, -0.5297827407479464, -0.1115298512405746, 0.2970170335078065, -0.21272137521046097, -0.13502082615214767, 0.3309774021772127};
const std::vector<double> pooled_indicator_unexplained_se{0.3512940997193774, 0.14519958673587002, 0.1465545620291855, 0.10614131080538937, 0.24321162019097553, 0.08634395471512327, 0.09871720101869931, 0.10756240763369215, 0.1749073272382877, 0.11969407046772107};
const std::vector<double> pooled_indicator_endowments{0.0, -0.19279817839637228, -0.008229803127720684, -0.12032541166720444, 0.08913488972601313, 0.000896874712577575, 0.11763847159478508, -0.2786670033098611, 0.00046573949661836363, -0.2961454272342794};
const std::vector<double> pooled_indicator_endowments_se{0.0, 0.053261765078325723, 0.01199510778760099, 0.04296960988620804, 0.035603138303172806, 0.008863135174912289, 0.042149861960582284, 0.0665508257454781, 0.00466646750188862, 0.06558789632812753};
const std::vector<double> pooled_indicator_coefficients{5.150692536514526, -0.5668380155204533, 0.1255766724885001, 0.19237895204794875, -0.48549210451481495, -0.10170834004217656, 0.3992108102423433, -0.15822332468945205, -0.13567329378461573, 0.4166260432159329};
const std::vector<double> pooled_indicator_coefficients_se{0.3512940997193774, 0.17079705956810062, 0.14262438641497774, 0.08769840801203153, 0.22496431773689635, 0.080219543154977, 0.13344561713849723, 0.08131855564397952, 0.17545730929823353, 0.15358217231125146};
const std::vector<double> pooled_indicator_interaction{0.0, 0.15383341929204494, 0.007038883252187843, 0.09379405465093686, -0.07487597194535418, -0.015862768630431196, -0.16930742301927432, -0.12171024976111698, 0.0008028005549385517, -0.158953711267123};
const std::vector<double> pooled_indicator_interaction_se{0.0, 0.05724484897614016, 0.012039987546475502, 0.047875702885319414, 0.041078481995516024, 0.018216756341414096, 0.06452819268815366, 0.06509886824570296, 0.008010052669047186, 0.06465648144658166};
const std::vector<double> pooled_indicator_explained_total{-0.8111108355246885, 0.13428464390355632};
const std::vector<double> pooled_indicator_unexplained_total{4.674389956403791, 0.290387588222888};
const std::vector<double> pooled_indicator_endowments_total{-0.6880298482054437, 0.15471030808274452};
const std::vector<double> pooled_indicator_coefficients_total{4.836549935957739, 0.30391601901386783};
const std::vector<double> pooled_indicator_interaction_total{-0.28524096687319145, 0.17648338945985964};
const std::vector<double> pooled_indicator_age_explained{-0.2003272045355085, 0.05608345985643734};
const std::vector<double> pooled_indicator_age_unexplained{-0.11524222244462373, 0.06396984353388158};
const std::vector<double> pooled_indicator_birth_explained{0.10392999660438246, 0.047083453182076185};
const std::vector<double> pooled_indicator_birth_unexplained{-0.34429555848071447, 0.17743411672983367};
const std::vector<double> pooled_indicator_educ_explained{-0.7147136275935625, 0.11600619952854398};
const std::vector<double> pooled_indicator_educ_unexplained{-0.016764799185395918, 0.08791231970044504};
const std::vector<double> pooled_indicator_coef_first{31.831175536420847, 0.3316925237131697, -0.057645589719940715, -0.2740469339932291, 0.16019278000493392, -0.6162426907351495, 0.45604991073021545, -2.891613494401508, -0.4617485787667188, 3.353362073168228};
const std::vector<double> pooled_indicator_coef_second{26.68048299990632, 1.6412192922422697, -0.3983574918205224, -1.242861800421748, 1.0013919709959498, 0.03693013522378252, -1.0383221062197328, -2.0125950239045522, -0.16952917676908497, 2.1821242006736377};
// hours, mixed: detailed (first group = men)
const std::vector<double> mixed_explained{0.0, -0.16475075653957266, 0.28108242504347225, -0.33960411840961335, 0.00029010208900287265, -0.3471969846537837};
const std::vector<double> mixed_explained_se{0.0, 0.049651180918378376, 0.06801785344637691, 0.06461714488899375, 0.002914086031264037, 0.06834021351530173};
const std::vector<double> mixed_unexplained{1.35383279711629, 2.7576700880081484, 0.3623403237160746, -0.19561866166012573, -0.15954870711717464, 0.31478261328641216};
const std::vector<double> mixed_unexplained_se{0.9319675757662863, 0.7979323609998724, 0.40120932116210956, 0.10597075158514842, 0.17275055214844803, 0.1179856377120438};
const std::vector<double> mixed_endowments{0.0, -0.2825481460791151, 0.3099247137941054, -0.28365058874920823, 8.373215396969503e-05, -0.28215896928330314};
const std::vector<double> mixed_endowments_se{0.0, 0.07888244104604338, 0.07953889665706979, 0.06668201782382391, 0.0011036343156906742, 0.06329464940928824};
const std::vector<double> mixed_coefficients{1.35383279711629, 2.639294539650815, 0.3999506709036356, -0.14219297770290873, -0.1602908034748923, 0.40380782390303227};
const std::vector<double> mixed_coefficients_se{0.9319675757662863, 0.7640834243162637, 0.44481970031055634, 0.07998258366343781, 0.17330735492270316, 0.1512638725072219};
const std::vector<double> mixed_interaction{0.0, 0.23617293789687607, -0.06645263593819413, -0.10937921361762212, 0.0009484662927508386, -0.15406322598710065};
const std::vector<double> mixed_interaction_se{0.0, 0.08565613022799883, 0.07512391787576632, 0.06362255521080833, 0.009439493540588125, 0.0635006214561796};
const std::vector<double> mixed_explained_total{-0.5701793324704946, 0.14191513514336535};
const std::vector<double> mixed_unexplained_total{4.433458453349625, 0.28543216934936355};
const std::vector<double> mixed_endowments_total{-0.5383492581635514, 0.15941033089011974};
const std::vector<double> mixed_coefficients_total{4.494402050395972, 0.2982744160845687};
const std::vector<double> mixed_interaction_total{-0.09277367135329001, 0.1658021669110078};
const std::vector<double> mixed_educ_explained{-0.6865110009743942, 0.1115666868144324};
const std::vector<double> mixed_educ_unexplained{-0.04038475549088821, 0.0865316922161859};
const std::vector<double> mixed_coef_first{33.658861471215076, -0.014304021070879337, -0.0049060156341092075, -2.83854857264933, -0.37572023460627557, 3.214268807255607};
const std::vector<double> mixed_coef_second{32.305028674098786, -0.08714946613655125, -0.006245050786359757, -2.048587585410948, -0.0304785040449691, 2.079066089455918};
// Yun logit, explained at first's coefficients (first group = men)
const std::vector<double> yun_first_ec_se{0.010337866019494435, 0.027724126675938213};
const std::vector<double> yun_first_ec{-0.037683449857355, 0.16504608721999203};
const std::vector<double> yun_first_explained{-0.0, -0.008207923930875504, -0.0003286089242423655, -0.005224517617726623, 0.00495509202217789, 0.0016052393620582764, 0.013795732729980128, -0.022539832363374108, -7.31368454385819e-06, -0.021731317450808828};
const std::vector<double> yun_first_explained_se{0.0, 0.003204784553685556, 0.0005452297129195394, 0.002711648942421101, 0.002482893030526555, 0.0008626457402485477, 0.004315068347513707, 0.00376071405783904, 7.172058954862861e-05, 0.00410009541540419};
const std::vector<double> yun_first_unexplained{0.13411221830567874, -0.007885531941818614, -0.001962529216207442, 0.004674786879224652, 0.008581799232659018, -0.003641394076487787, 0.0022748938580073237, -0.025879962130857238, 0.015514779965164448, 0.039257026344628916};
const std::vector<double> yun_first_unexplained_se{0.03335750282830182, 0.016297409981933415, 0.013850288344200858, 0.008544769378557146, 0.021768315963081528, 0.007567331666539196, 0.013122719578460229, 0.007889193102517348, 0.016952010902514858, 0.014815782300350579};
const std::vector<double> yun_first_logit_men{-0.2930645695064881, -0.3616138764405976, -0.5220601741538513, 0.04396921565263564, -0.7480187080864524, 0.697493620229067, 1.361318048015443};
// Yun logit, explained at second's coefficients (first group = men)
const std::vector<double> yun_second_ec_se{0.009942919217263833, 0.027717506164430444};
const std::vector<double> yun_second_ec{-0.0072626251410449205, 0.13462526250368195};
const std::vector<double> yun_second_explained{-0.0, -0.012279794512074406, -0.00025549893418158994, -0.008922893336991795, 0.004257169141445797, 0.0025818530716429883, 0.017463446537664618, -0.002607580153404224, 0.00010213810957021697, -0.007601465064716529};
const std::vector<double> yun_second_explained_se{0.0, 0.004887960841885989, 0.000705305920394398, 0.0038985157660017763, 0.0038478582619836115, 0.0016570383412604776, 0.010551502919738135, 0.004972842034791951, 0.00010349947191694214, 0.0040053062636861555};
const std::vector<double> yun_second_unexplained{0.13456819631711162, -0.0057650223655453265, -0.002079580395838887, 0.006977615170325818, 0.009939021958565159, -0.004223629493398828, 0.0013145536043298956, -0.04594330202902598, 0.01547541424758691, 0.02436199548957159};
const std::vector<double> yun_second_unexplained_se{0.03323319041063589, 0.011891610985035881, 0.014672255150220916, 0.012717304993858614, 0.025197322212029184, 0.008775071951223718, 0.007583702480377308, 0.014157079910658059, 0.016921502341993883, 0.009261992042635128};
const std::vector<double> yun_second_logit_men{-0.2930645695064881, -0.3616138764405976, -0.5220601741538513, 0.04396921565263564, -0.7480187080864524, 0.697493620229067, 1.361318048015443};
}  // namespace ref

void expect_close(double actual, double expected, double rel, double abs, const std::string& what) {
  EXPECT_NEAR(actual, expected, std::max(abs, rel * std::abs(expected))) << what;
}

std::vector<stratum_dimension> characteristics() {
  return {{"åldersgrupp", {"16–29", "30–49", "50–64"}},
          {"födelseregion", {"Sverige", "Europa utom Sverige", "Utanför Europa"}},
          {"utbildning", {"Förgymnasial", "Gymnasial", "Eftergymnasial"}}};
}

std::vector<measure_stratum> hours_cells(bool women) {
  std::vector<measure_stratum> out;
  for (const auto& c : test_data::oaxaca_cells)
    if ((c.female == 1) == women) out.push_back({{c.levels.begin(), c.levels.end()}, c.n, c.hours_mean, c.hours_within_ss});
  return out;
}

std::vector<outcome_stratum> in_work_cells(bool women) {
  std::vector<outcome_stratum> out;
  for (const auto& c : test_data::oaxaca_cells)
    if ((c.female == 1) == women) out.push_back({{c.levels.begin(), c.levels.end()}, c.n, c.in_work});
  return out;
}

struct hours_data {
  oaxaca_design design = categorical_design(characteristics());
  regression_moments women = moments_from_cells(design, hours_cells(true));
  regression_moments men = moments_from_cells(design, hours_cells(false));
};

oaxaca_options men_minus_women(oaxaca_reference reference) {
  oaxaca_options o;
  o.order = oaxaca_order::men_minus_women;
  o.reference = reference;
  return o;
}

/// Compares the per-term rows (intercept, then every level) with a reference decomposition.
void expect_terms(const oaxaca_blinder_result& r, const std::string& tag, const std::vector<double>& explained,
                  const std::vector<double>& explained_se, const std::vector<double>& unexplained,
                  const std::vector<double>& unexplained_se, const std::vector<double>* endowments = nullptr,
                  const std::vector<double>* endowments_se = nullptr, const std::vector<double>* coefficients = nullptr,
                  const std::vector<double>* coefficients_se = nullptr, const std::vector<double>* interaction = nullptr,
                  const std::vector<double>* interaction_se = nullptr) {
  ASSERT_EQ(r.terms.size(), explained.size()) << tag;
  for (std::size_t i = 0; i < explained.size(); ++i) {
    const oaxaca_row& row = r.terms[i];
    const std::string what = tag + " term " + std::to_string(i) + " (" + row.characteristic + " " + row.level + ")";
    expect_close(row.explained, explained[i], 1e-9, 1e-12, what + " explained");
    expect_close(row.explained_se, explained_se[i], 1e-6, 1e-9, what + " explained se");
    expect_close(row.unexplained, unexplained[i], 1e-9, 1e-12, what + " unexplained");
    expect_close(row.unexplained_se, unexplained_se[i], 1e-6, 1e-9, what + " unexplained se");
    if (endowments) {
      expect_close(row.endowments, (*endowments)[i], 1e-9, 1e-12, what + " endowments");
      expect_close(row.endowments_se, (*endowments_se)[i], 1e-6, 1e-9, what + " endowments se");
      expect_close(row.coefficients, (*coefficients)[i], 1e-9, 1e-12, what + " coefficients");
      expect_close(row.coefficients_se, (*coefficients_se)[i], 1e-6, 1e-9, what + " coefficients se");
      expect_close(row.interaction, (*interaction)[i], 1e-9, 1e-12, what + " interaction");
      expect_close(row.interaction_se, (*interaction_se)[i], 1e-6, 1e-9, what + " interaction se");
    }
  }
}

// statsmodels: OaxacaBlinder(hours, [X, female], bifurcate=female, hasconst=True, swap=False)
//   .three_fold() and .two_fold(two_fold_type=...) with X = [1, dummies of age, birth, educ].
TEST(OaxacaBlinder, AggregatesMatchStatsmodels) {
  const hours_data h;
  struct variant {
    oaxaca_reference reference;
    double weight;
    double unexplained, explained;
  };
  const double n_men = 650.0, n_women = 700.0;
  for (const variant& v : {variant{oaxaca_reference::pooled_with_group_indicator, 0, 4.674389956403877, -0.8111108355247093},
                           variant{oaxaca_reference::pooled, 0, 4.344397269521833, -0.4811181486426661},  // 'nuemark'
                           variant{oaxaca_reference::weighted, n_men / (n_men + n_women), 4.68864721239393,
                                   -0.8253680915147619},  // 'cotton'
                           variant{oaxaca_reference::weighted, 0.5, 4.6939294525212105, -0.8306503316420432},  // 'reimers'
                           variant{oaxaca_reference::weighted, 0.3, 4.636881259146572, -0.7736021382674058}}) {
    oaxaca_options o = men_minus_women(v.reference);
    o.first_group_weight = v.weight;
    const oaxaca_blinder_result r = oaxaca_blinder(h.design, h.women, h.men, o);
    expect_close(r.gap, 3.863279120879117, 1e-12, 0, "gap");
    expect_close(r.explained, v.explained, 1e-9, 0, "explained");
    expect_close(r.unexplained, v.unexplained, 1e-9, 0, "unexplained");
    expect_close(r.explained + r.unexplained, r.gap, 1e-12, 0, "twofold adds up");
    expect_close(r.unexplained_first + r.unexplained_second, r.unexplained, 1e-12, 1e-14, "unexplained split adds up");
    // three_fold(): E, C, I from the second group's (women's) viewpoint
    expect_close(r.endowments, -0.6880298482054494, 1e-9, 0, "endowments");
    expect_close(r.coefficients, 4.8365499359578035, 1e-9, 0, "coefficients");
    expect_close(r.interaction, -0.28524096687318734, 1e-9, 0, "interaction");
    EXPECT_EQ(r.first_group, "Män");
    EXPECT_EQ(r.second_group, "Kvinnor");
    EXPECT_EQ(r.first_participations, 650u);
    EXPECT_EQ(r.second_participations, 700u);
  }
}

// The detailed decomposition with Yun's normalisation and Jann's delta-method standard errors.
TEST(OaxacaBlinder, DetailedDecompositionMatchesJannsDeltaMethod) {
  const hours_data h;
  const oaxaca_blinder_result r2 = oaxaca_blinder(h.design, h.women, h.men, men_minus_women(oaxaca_reference::second_group));
  expect_terms(r2, "reference women", ref::second_explained, ref::second_explained_se, ref::second_unexplained,
               ref::second_unexplained_se, &ref::second_endowments, &ref::second_endowments_se, &ref::second_coefficients,
               &ref::second_coefficients_se, &ref::second_interaction, &ref::second_interaction_se);
  expect_close(r2.explained_se, ref::second_explained_total[1], 1e-6, 0, "explained se");
  expect_close(r2.unexplained_se, ref::second_unexplained_total[1], 1e-6, 0, "unexplained se");
  expect_close(r2.endowments_se, ref::second_endowments_total[1], 1e-6, 0, "endowments se");
  expect_close(r2.coefficients_se, ref::second_coefficients_total[1], 1e-6, 0, "coefficients se");
  expect_close(r2.interaction_se, ref::second_interaction_total[1], 1e-6, 0, "interaction se");
  for (std::size_t i = 0; i < r2.terms.size(); ++i) {
    expect_close(r2.terms[i].coefficient_first, ref::second_coef_first[i], 1e-9, 1e-12, "normalised β men");
    expect_close(r2.terms[i].coefficient_second, ref::second_coef_second[i], 1e-9, 1e-12, "normalised β women");
  }

  const oaxaca_blinder_result rp =
      oaxaca_blinder(h.design, h.women, h.men, men_minus_women(oaxaca_reference::pooled_with_group_indicator));
  expect_terms(rp, "pooled with indicator", ref::pooled_indicator_explained, ref::pooled_indicator_explained_se,
               ref::pooled_indicator_unexplained, ref::pooled_indicator_unexplained_se);
  expect_close(rp.explained_se, ref::pooled_indicator_explained_total[1], 1e-6, 0, "explained se");
  expect_close(rp.unexplained_se, ref::pooled_indicator_unexplained_total[1], 1e-6, 0, "unexplained se");
  // Rows per characteristic: the intercept, then the sum over each characteristic's levels.
  ASSERT_EQ(rp.characteristics.size(), 4u);
  EXPECT_EQ(rp.characteristics[0].kind, oaxaca_row_kind::intercept);
  const std::vector<const std::vector<double>*> per_char_explained{&ref::pooled_indicator_age_explained,
                                                                   &ref::pooled_indicator_birth_explained,
                                                                   &ref::pooled_indicator_educ_explained};
  const std::vector<const std::vector<double>*> per_char_unexplained{&ref::pooled_indicator_age_unexplained,
                                                                     &ref::pooled_indicator_birth_unexplained,
                                                                     &ref::pooled_indicator_educ_unexplained};
  for (std::size_t c = 0; c < 3; ++c) {
    const oaxaca_row& row = rp.characteristics[c + 1];
    EXPECT_EQ(row.kind, oaxaca_row_kind::characteristic_total);
    EXPECT_EQ(row.characteristic, characteristics()[c].name);
    expect_close(row.explained, (*per_char_explained[c])[0], 1e-9, 0, row.characteristic);
    expect_close(row.explained_se, (*per_char_explained[c])[1], 1e-6, 0, row.characteristic);
    expect_close(row.unexplained, (*per_char_unexplained[c])[0], 1e-9, 0, row.characteristic);
    expect_close(row.unexplained_se, (*per_char_unexplained[c])[1], 1e-6, 0, row.characteristic);
  }
  EXPECT_EQ(rp.terms[9].level, "Eftergymnasial");
  EXPECT_EQ(rp.terms[9].kind, oaxaca_row_kind::level);
}

// Women first and the threefold from the first group's viewpoint (Jann's threefold(reverse)) with
// women's coefficients as the reference: the reference script's men-first decomposition with the
// groups exchanged, so every part changes sign.
TEST(OaxacaBlinder, OrderAndViewpointExchangeTheGroups) {
  const hours_data h;
  oaxaca_options o;
  o.order = oaxaca_order::women_minus_men;
  o.reference = oaxaca_reference::first_group;
  o.threefold_from_first_group = true;
  const oaxaca_blinder_result r = oaxaca_blinder(h.design, h.women, h.men, o);
  EXPECT_EQ(r.first_group, "Kvinnor");
  expect_close(r.gap, -3.863279120879117, 1e-12, 0, "gap");
  expect_close(r.explained, 0.6880298482054437, 1e-9, 0, "explained");
  expect_close(r.unexplained, -4.551308969084548, 1e-9, 0, "unexplained");
  expect_close(r.endowments, 0.6880298482054437, 1e-9, 0, "endowments");
  expect_close(r.coefficients, -4.836549935957739, 1e-9, 0, "coefficients");
  expect_close(r.interaction, 0.28524096687319145, 1e-9, 0, "interaction");
  expect_close(r.interaction_se, 0.17648338945985964, 1e-6, 0, "interaction se");
  for (std::size_t i = 0; i < r.terms.size(); ++i) {
    expect_close(r.terms[i].explained, -ref::second_explained[i], 1e-9, 1e-12, "explained term");
    expect_close(r.terms[i].unexplained, -ref::second_unexplained[i], 1e-9, 1e-12, "unexplained term");
  }
}

// The linear probability model of a binary outcome from binomial cells.
// statsmodels: OaxacaBlinder(in_work, [X, female], ...) as above.
TEST(OaxacaBlinder, LinearProbabilityModelFromBinomialCells) {
  const oaxaca_design design = categorical_design(characteristics());
  const regression_moments women = moments_from_cells(design, in_work_cells(true));
  const regression_moments men = moments_from_cells(design, in_work_cells(false));
  const oaxaca_blinder_result r =
      oaxaca_blinder(design, women, men, men_minus_women(oaxaca_reference::pooled_with_group_indicator));
  expect_close(r.gap, 0.12736263736263737, 1e-12, 0, "gap");
  expect_close(r.unexplained, 0.1509829221691159, 1e-9, 0, "unexplained");
  expect_close(r.explained, -0.023620284806476922, 1e-9, 0, "explained");
  expect_close(r.endowments, -0.0065184616197441776, 1e-9, 0, "endowments");
  expect_close(r.coefficients, 0.16517308640324185, 1e-9, 0, "coefficients");
  expect_close(r.interaction, -0.031291987420858654, 1e-9, 0, "interaction");
  const oaxaca_blinder_result n = oaxaca_blinder(design, women, men, men_minus_women(oaxaca_reference::pooled));
  expect_close(n.unexplained, 0.14032414944699173, 1e-9, 0, "Neumark unexplained");
}

// Numeric characteristics from raw cross-products X'X, X'y, y'y (x = [1, age in years, days in
// support, education dummies]). statsmodels on the same design; detailed values from the script.
TEST(OaxacaBlinder, MixedNumericAndCategoricalFromCrossProducts) {
  oaxaca_design design;
  design.characteristics = {{"ålder", {}, 0}, {"dagar i stöd", {}, 0}, {"utbildning", characteristics()[2].level_labels, 0}};
  auto moments = [](const auto& xtx, const auto& xty, double yty, std::uint64_t n) {
    const Eigen::Map<const Eigen::Matrix<double, 5, 5, Eigen::RowMajor>> m(xtx.data());
    const Eigen::Map<const Eigen::VectorXd> v(xty.data(), 5);
    return regression_moments::from_cross_products(n, m, v, yty);
  };
  const regression_moments women =
      moments(test_data::mixed_xtx_women, test_data::mixed_xty_women, test_data::mixed_yty_women, test_data::mixed_n_women);
  const regression_moments men =
      moments(test_data::mixed_xtx_men, test_data::mixed_xty_men, test_data::mixed_yty_men, test_data::mixed_n_men);
  const oaxaca_blinder_result r =
      oaxaca_blinder(design, women, men, men_minus_women(oaxaca_reference::pooled_with_group_indicator));
  // statsmodels
  expect_close(r.gap, 3.863279120879117, 1e-11, 0, "gap");
  expect_close(r.unexplained, 4.433458453349707, 1e-9, 0, "unexplained");
  expect_close(r.explained, -0.5701793324705193, 1e-9, 0, "explained");
  expect_close(r.endowments, -0.5383492581635546, 1e-9, 0, "endowments");
  expect_close(r.coefficients, 4.494402050396038, 1e-9, 0, "coefficients");
  expect_close(r.interaction, -0.09277367135329564, 1e-9, 0, "interaction");
  // the script's delta method
  expect_terms(r, "mixed", ref::mixed_explained, ref::mixed_explained_se, ref::mixed_unexplained, ref::mixed_unexplained_se,
               &ref::mixed_endowments, &ref::mixed_endowments_se, &ref::mixed_coefficients, &ref::mixed_coefficients_se,
               &ref::mixed_interaction, &ref::mixed_interaction_se);
  EXPECT_EQ(r.terms[1].kind, oaxaca_row_kind::numeric);
  EXPECT_EQ(r.characteristics[1].kind, oaxaca_row_kind::numeric);
  expect_close(r.characteristics[3].explained, ref::mixed_educ_explained[0], 1e-9, 0, "education explained");
  expect_close(r.characteristics[3].unexplained_se, ref::mixed_educ_unexplained[1], 1e-6, 0, "education unexplained se");
  oaxaca_options neumark = men_minus_women(oaxaca_reference::pooled);
  expect_close(oaxaca_blinder(design, women, men, neumark).unexplained, 4.126636854869702, 1e-9, 0, "Neumark");
}

// Yun's normalisation: the detailed decomposition does not depend on the omitted levels; without
// it, the unexplained parts of the levels do (the identification problem Yun 2005 solves).
TEST(OaxacaBlinder, NormalisationRemovesTheOmittedLevelDependence) {
  const hours_data h;
  const oaxaca_design other = categorical_design(characteristics(), {2, 1, 0});
  const regression_moments women = moments_from_cells(other, hours_cells(true));
  const regression_moments men = moments_from_cells(other, hours_cells(false));
  const oaxaca_options o = men_minus_women(oaxaca_reference::pooled_with_group_indicator);
  const oaxaca_blinder_result a = oaxaca_blinder(h.design, h.women, h.men, o);
  const oaxaca_blinder_result b = oaxaca_blinder(other, women, men, o);
  ASSERT_EQ(a.terms.size(), b.terms.size());
  for (std::size_t i = 0; i < a.terms.size(); ++i) {
    EXPECT_NEAR(a.terms[i].explained, b.terms[i].explained, 1e-10);
    EXPECT_NEAR(a.terms[i].unexplained, b.terms[i].unexplained, 1e-10);
    EXPECT_NEAR(a.terms[i].unexplained_se, b.terms[i].unexplained_se, 1e-10);
  }
  oaxaca_options raw = o;
  raw.normalize_categorical = false;
  const oaxaca_blinder_result c = oaxaca_blinder(h.design, h.women, h.men, raw);
  const oaxaca_blinder_result d = oaxaca_blinder(other, women, men, raw);
  EXPECT_NEAR(c.unexplained, d.unexplained, 1e-10);  // the total never depends on it
  EXPECT_NEAR(c.explained, d.explained, 1e-10);
  EXPECT_GT(std::abs(c.terms[0].unexplained - d.terms[0].unexplained), 0.1);  // the intercept's share does
  EXPECT_EQ(c.terms[1].unexplained, 0.0);  // the omitted level contributes nothing unnormalised
}

// Merging statistics equals computing them on the union; streaming add() equals cross-products.
TEST(RegressionMoments, MergeAddAndCrossProductsAgree) {
  const oaxaca_design design = categorical_design(characteristics());
  std::vector<measure_stratum> cells = hours_cells(true), first, second;
  for (std::size_t i = 0; i < cells.size(); ++i) (i % 3 == 0 ? first : second).push_back(cells[i]);
  regression_moments merged = moments_from_cells(design, first);
  merged.merge(moments_from_cells(design, second));
  const regression_moments whole = moments_from_cells(design, cells);
  EXPECT_EQ(merged.participations, whole.participations);
  EXPECT_NEAR(merged.y_mean, whole.y_mean, 1e-12);
  EXPECT_NEAR(merged.y_ss, whole.y_ss, 1e-9 * whole.y_ss);
  EXPECT_TRUE(merged.x_ss.isApprox(whole.x_ss, 1e-12));
  EXPECT_TRUE(merged.xy_ss.isApprox(whole.xy_ss, 1e-12));

  regression_moments streamed = regression_moments::empty(2);
  Eigen::MatrixXd xtx = Eigen::MatrixXd::Zero(3, 3);
  Eigen::VectorXd xty = Eigen::VectorXd::Zero(3);
  double yty = 0.0;
  for (int i = 0; i < 50; ++i) {
    Eigen::VectorXd x(2);
    x << 1000.0 + i % 7, (i * 37) % 11;
    const double y = 3.0 + 0.5 * x[0] - 0.25 * x[1] + (i % 5);
    streamed.add(x, y);
    Eigen::VectorXd x1(3);
    x1 << 1.0, x;
    xtx += x1 * x1.transpose();
    xty += x1 * y;
    yty += y * y;
  }
  const regression_moments raw = regression_moments::from_cross_products(50, xtx, xty, yty);
  EXPECT_TRUE(streamed.x_mean.isApprox(raw.x_mean, 1e-14));
  EXPECT_TRUE(streamed.x_ss.isApprox(raw.x_ss, 1e-9));
  EXPECT_TRUE(streamed.xy_ss.isApprox(raw.xy_ss, 1e-9));
  EXPECT_NEAR(streamed.y_ss, raw.y_ss, 1e-8 * raw.y_ss);
}

TEST(OaxacaBlinder, BadInputIsRejectedWithAClearError) {
  const hours_data h;
  auto expect_usage_error = [](auto&& call, const std::string& fragment) {
    try {
      call();
      ADD_FAILURE() << "no error for " << fragment;
    } catch (const usage_error& e) {
      EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
    }
  };
  // A level without participations among women: their dummy column is constant.
  std::vector<measure_stratum> no_foreign_born;
  for (const measure_stratum& c : hours_cells(true))
    if (c.levels[1] != 2) no_foreign_born.push_back(c);
  const regression_moments women_without = moments_from_cells(h.design, no_foreign_born);
  expect_usage_error([&] { oaxaca_blinder(h.design, women_without, h.men); }, "characteristics of women are collinear");
  regression_moments two = regression_moments::empty(2);
  expect_usage_error([&] { oaxaca_blinder(h.design, two, h.men); }, "statistics of women have 2 characteristics");
  std::vector<measure_stratum> few = hours_cells(true);
  for (measure_stratum& c : few) c.participations = 0;
  few[0].participations = few[1].participations = 3;
  expect_usage_error([&] { oaxaca_blinder(h.design, moments_from_cells(h.design, few), h.men); },
                     "women have 6 participations, not more than the 7 regression coefficients");
  oaxaca_options bad_weight = men_minus_women(oaxaca_reference::weighted);
  bad_weight.first_group_weight = 1.5;
  expect_usage_error([&] { oaxaca_blinder(h.design, h.women, h.men, bad_weight); }, "first_group_weight");
  auto bad_cell = hours_cells(true);
  bad_cell[0].levels[2] = 3;
  expect_usage_error([&] { moments_from_cells(h.design, bad_cell); }, "level 3 of 'utbildning' is out of range");
  expect_usage_error([&] { categorical_design(characteristics(), {0, 3, 0}); }, "omitted level 3");
  expect_usage_error([&] { regression_moments::from_cross_products(5, Eigen::MatrixXd::Identity(2, 2), Eigen::VectorXd::Zero(2), 0); },
                     "xtx(0, 0) must be the number of participations");
}

// Yun's logit decomposition, explained part priced at men's (the first group's) coefficients.
// Reference: statsmodels GLM(Binomial) on the Bernoulli participations, Yun's formulas averaged over
// them, delta-method SEs with finite-difference gradients (oaxaca_reference.py: yun).
TEST(OaxacaBlinderLogit, MatchesYunsDecompositionOnTheMicrodata) {
  const oaxaca_design design = categorical_design(characteristics());
  for (bool at_first : {true, false}) {
    oaxaca_logit_options o;
    o.order = oaxaca_order::men_minus_women;
    o.explained_at_first_group_coefficients = at_first;
    const oaxaca_blinder_result r = oaxaca_blinder_logit(design, in_work_cells(true), in_work_cells(false), o);
    const std::string tag = at_first ? "at men's coefficients" : "at women's coefficients";
    const auto& ec = at_first ? ref::yun_first_ec : ref::yun_second_ec;
    const auto& ec_se = at_first ? ref::yun_first_ec_se : ref::yun_second_ec_se;
    expect_close(r.gap, 0.12736263736263737, 1e-12, 0, tag + " gap");
    expect_close(r.explained, ec[0], 1e-9, 0, tag + " E");
    expect_close(r.unexplained, ec[1], 1e-9, 0, tag + " C");
    expect_close(r.explained + r.unexplained, r.gap, 1e-10, 0, tag + " adds up");
    expect_close(r.explained_se, ec_se[0], 1e-6, 0, tag + " E se");
    expect_close(r.unexplained_se, ec_se[1], 1e-6, 0, tag + " C se");
    expect_terms(r, "Yun " + tag, at_first ? ref::yun_first_explained : ref::yun_second_explained,
                 at_first ? ref::yun_first_explained_se : ref::yun_second_explained_se,
                 at_first ? ref::yun_first_unexplained : ref::yun_second_unexplained,
                 at_first ? ref::yun_first_unexplained_se : ref::yun_second_unexplained_se);
    EXPECT_TRUE(std::isnan(r.endowments));
    EXPECT_TRUE(std::isnan(r.terms[1].interaction));
  }
  // The logit fit of men from their cells: statsmodels' coefficients (dummy coded, level 0 omitted).
  oaxaca_logit_options raw;
  raw.order = oaxaca_order::men_minus_women;
  raw.normalize_categorical = false;
  const oaxaca_blinder_result r = oaxaca_blinder_logit(design, in_work_cells(true), in_work_cells(false), raw);
  const std::vector<std::size_t> term_of_coefficient{0, 2, 3, 5, 6, 8, 9};
  for (std::size_t j = 0; j < term_of_coefficient.size(); ++j)
    expect_close(r.terms[term_of_coefficient[j]].coefficient_first, ref::yun_first_logit_men[j], 1e-9, 1e-12, "logit β");
}

TEST(OaxacaBlinderLogit, BadInputIsRejectedWithAClearError) {
  const oaxaca_design design = categorical_design(characteristics());
  auto women = in_work_cells(true);
  for (outcome_stratum& c : women)
    if (c.levels[2] == 2) c.successes = c.participations;  // every tertiary-educated woman in work
  try {
    oaxaca_blinder_logit(design, women, in_work_cells(false));
    ADD_FAILURE() << "no error for separation";
  } catch (const usage_error& e) {
    EXPECT_NE(std::string(e.what()).find("women at 'utbildning: Eftergymnasial' has the outcome"), std::string::npos)
        << e.what();
  }
  oaxaca_design mixed = design;
  mixed.characteristics.push_back({"ålder", {}, 0});
  EXPECT_THROW(oaxaca_blinder_logit(mixed, in_work_cells(true), in_work_cells(false)), usage_error);
}

}  // namespace
}  // namespace jamstat::analysis
