using System;
using Jamstat.Interop;

namespace Jamstat
{
    /// <summary>What a MAIHDA or a decomposition analyses.</summary>
    public enum SubjectKind
    {
        /// <summary>A binary outcome: logistic models (MAIHDA), proportions (decomposition).</summary>
        Outcome = Constants.JAMSTAT_SUBJECT_OUTCOME,
        /// <summary>A numeric measure: linear models, means.</summary>
        Measure = Constants.JAMSTAT_SUBJECT_MEASURE,
    }

    /// <summary>Criterion of MAIHDA's linear models.</summary>
    public enum LinearCriterion
    {
        /// <summary>REML (lmer's default).</summary>
        Reml = Constants.JAMSTAT_REML,
        /// <summary>Maximum likelihood.</summary>
        Ml = Constants.JAMSTAT_ML,
    }

    /// <summary>The two MAIHDA models.</summary>
    public enum MaihdaModelKind
    {
        /// <summary>Random intercept per stratum only.</summary>
        Null = Constants.JAMSTAT_MAIHDA_NULL,
        /// <summary>Plus the main effects of sex and the dimensions.</summary>
        Additive = Constants.JAMSTAT_MAIHDA_ADDITIVE,
    }

    /// <summary>Reference coefficients of the Oaxaca-Blinder decomposition.</summary>
    public enum OaxacaReference
    {
        /// <summary>Pooled regression with a group indicator (Fortin 2008; Jann 2008): the default.</summary>
        PooledWithGroup = Constants.JAMSTAT_OAXACA_POOLED_WITH_GROUP,
        /// <summary>Pooled without it (Neumark 1988).</summary>
        Pooled = Constants.JAMSTAT_OAXACA_POOLED,
        /// <summary>Women's coefficients.</summary>
        Women = Constants.JAMSTAT_OAXACA_WOMEN,
        /// <summary>Men's coefficients.</summary>
        Men = Constants.JAMSTAT_OAXACA_MEN,
        /// <summary>w x women's + (1 - w) x men's (WomenWeight).</summary>
        Weighted = Constants.JAMSTAT_OAXACA_WEIGHTED,
    }

    /// <summary>The strata of a strata report (jamstat_strata), copied.</summary>
    public sealed class Strata
    {
        /// <summary>Number of strata.</summary>
        public int Count { get; internal set; }
        /// <summary>Schema indices of the stratum-defining dimensions (besides sex).</summary>
        public int[] Dimensions { get; internal set; }
        /// <summary>[dimension][stratum] level indices.</summary>
        public uint[][] LevelIndices { get; internal set; }
        /// <summary>Swedish labels ("16–19 år · Utanför Europa").</summary>
        public string[] LabelsSv { get; internal set; }
        /// <summary>English labels.</summary>
        public string[] LabelsEn { get; internal set; }
    }

    /// <summary>MAIHDA options (jamstat_maihda_options); defaults from JAMSTAT_MAIHDA_OPTIONS_INIT.</summary>
    public sealed class MaihdaOptions
    {
        /// <summary>The stratum-defining dimensions besides sex (sex is always one).</summary>
        public string[] Dimensions { get; set; }
        /// <summary>Outcome (logistic models) or Measure (linear models).</summary>
        public SubjectKind SubjectKind { get; set; }
        /// <summary>The outcome's or measure's index.</summary>
        public int Subject { get; set; }
        /// <summary>Linear models: REML or ML.</summary>
        public LinearCriterion Criterion { get; set; }
        /// <summary>Logistic models: 1 = Laplace (glmer's default), 2..25 = adaptive Gauss-Hermite.</summary>
        public int QuadratureNodes { get; set; }
        /// <summary>Level of the intervals (0.95).</summary>
        public double IntervalLevel { get; set; }
        /// <summary>Stratum labels in English.</summary>
        public bool English { get; set; }

        /// <summary>The defaults of JAMSTAT_MAIHDA_OPTIONS_INIT.</summary>
        public MaihdaOptions()
        {
            var d = jamstat_maihda_options.Init();
            SubjectKind = (SubjectKind)d.subject_kind;
            Subject = (int)d.subject;
            Criterion = (LinearCriterion)d.criterion;
            QuadratureNodes = (int)d.quadrature_nodes;
            IntervalLevel = d.interval_level;
            English = d.english != 0;
        }
    }

    /// <summary>One fitted MAIHDA model (jamstat_maihda_model), copied column-wise.</summary>
    public sealed class MaihdaModel
    {
        /// <summary>lme4's theta.</summary>
        public double Theta { get; internal set; }
        /// <summary>sigma_u^2.</summary>
        public double BetweenVariance { get; internal set; }
        /// <summary>sigma_e^2 (linear) or pi^2/3 (logistic, latent scale).</summary>
        public double ResidualVariance { get; internal set; }
        /// <summary>Variance partition coefficient.</summary>
        public double Vpc { get; internal set; }
        /// <summary>REML criterion or -2 log L, as lme4 reports.</summary>
        public double Deviance { get; internal set; }
        /// <summary>sigma_u^2 at 0 (a singular fit).</summary>
        public bool Boundary { get; internal set; }
        /// <summary>Fixed-effect terms: "(Intercept)", "Åldersgrupp: 20–24 år", ...</summary>
        public string[] Terms { get; internal set; }
        /// <summary>Fixed-effect estimates.</summary>
        public double[] Estimates { get; internal set; }
        /// <summary>Their standard errors.</summary>
        public double[] StandardErrors { get; internal set; }
        /// <summary>Number of strata.</summary>
        public int StratumCount { get; internal set; }
        /// <summary>Stratum labels ("Kvinnor · 16–19 år · Utanför Europa").</summary>
        public string[] Labels { get; internal set; }
        /// <summary>[dimension][stratum] level indices: sex first, then the options' dimensions.</summary>
        public uint[][] Levels { get; internal set; }
        /// <summary>Participations per stratum.</summary>
        public ulong[] Participations { get; internal set; }
        /// <summary>Observed mean (linear) or proportion (logistic).</summary>
        public double[] Observed { get; internal set; }
        /// <summary>The conditional mode of the random effect (lme4's ranef).</summary>
        public double[] RandomEffect { get; internal set; }
        /// <summary>Its standard deviation.</summary>
        public double[] RandomEffectSd { get; internal set; }
        /// <summary>Lower interval bound of the random effect.</summary>
        public double[] RandomEffectLower { get; internal set; }
        /// <summary>Upper interval bound of the random effect.</summary>
        public double[] RandomEffectUpper { get; internal set; }
        /// <summary>Predicted mean or probability.</summary>
        public double[] Predicted { get; internal set; }
        /// <summary>Lower interval bound of the prediction.</summary>
        public double[] PredictedLower { get; internal set; }
        /// <summary>Upper interval bound of the prediction.</summary>
        public double[] PredictedUpper { get; internal set; }
        /// <summary>The random effect's interval excludes 0.</summary>
        public bool[] ClearlyNonzero { get; internal set; }
    }

    /// <summary>
    /// MAIHDA (docs/methods-intersectional.md): the null and the additive multilevel models with a
    /// random intercept per stratum of sex x the dimensions, as lme4 fits them on the participations.
    /// </summary>
    public sealed class Maihda : IDisposable
    {
        readonly MaihdaHandle handle;
        readonly int levelDimensions;

        Maihda(MaihdaHandle handle, int levelDimensions)
        {
            this.handle = handle;
            this.levelDimensions = levelDimensions;
        }

        /// <summary>The C handle (for calls through Jamstat.Interop.NativeMethods).</summary>
        public MaihdaHandle Handle { get { return handle; } }

        internal static unsafe Maihda Create(Aggregator aggregator, MaihdaOptions options)
        {
            if (options == null) throw new ArgumentNullException("options");
            var o = jamstat_maihda_options.Init();
            MaihdaHandle h;
            using (var dims = new Utf8Array(options.Dimensions, "Dimensions"))
            {
                o.dimensions = dims.Pointer;
                o.dimension_count = new UIntPtr((uint)dims.Count);
                o.subject_kind = (uint)options.SubjectKind;
                o.subject = checked((uint)options.Subject);
                o.criterion = (uint)options.Criterion;
                o.quadrature_nodes = checked((uint)options.QuadratureNodes);
                o.interval_level = options.IntervalLevel;
                o.english = options.English ? 1u : 0u;
                Check.Ok(NativeMethods.jamstat_maihda_new(aggregator.Handle, &o, out h));
                return new Maihda(h, dims.Count + 1);
            }
        }

        /// <summary>One of the two models, copied.</summary>
        public unsafe MaihdaModel Model(MaihdaModelKind which)
        {
            var m = jamstat_maihda_model.Init();
            Check.Ok(NativeMethods.jamstat_maihda_model_get(handle, (int)which, &m));
            long k = checked((long)m.fixed_effect_count), n = checked((long)m.stratum_count);
            var r = new MaihdaModel
            {
                Theta = m.theta, BetweenVariance = m.between_variance, ResidualVariance = m.residual_variance,
                Vpc = m.vpc, Deviance = m.deviance, Boundary = m.boundary != 0,
                Terms = ColumnCopy.Strings(m.term, k), Estimates = ColumnCopy.Values(m.estimate, k),
                StandardErrors = ColumnCopy.Values(m.standard_error, k),
                StratumCount = checked((int)n), Labels = ColumnCopy.Strings(m.label, n),
                Levels = new uint[levelDimensions][],
                Participations = ColumnCopy.Values(m.participations, n), Observed = ColumnCopy.Values(m.observed, n),
                RandomEffect = ColumnCopy.Values(m.random_effect, n), RandomEffectSd = ColumnCopy.Values(m.random_effect_sd, n),
                RandomEffectLower = ColumnCopy.Values(m.random_effect_lower, n), RandomEffectUpper = ColumnCopy.Values(m.random_effect_upper, n),
                Predicted = ColumnCopy.Values(m.predicted, n), PredictedLower = ColumnCopy.Values(m.predicted_lower, n),
                PredictedUpper = ColumnCopy.Values(m.predicted_upper, n),
                ClearlyNonzero = new bool[n],
            };
            for (int d = 0; d < levelDimensions && m.levels != null; ++d) r.Levels[d] = ColumnCopy.Values(m.levels[d], n);
            if (m.clearly_nonzero != null)
                for (long i = 0; i < n; ++i) r.ClearlyNonzero[i] = m.clearly_nonzero[i] != 0;
            return r;
        }

        /// <summary>Proportional change in variance from the null to the additive model.</summary>
        public unsafe double Pcv
        {
            get
            {
                double pcv;
                Check.Ok(NativeMethods.jamstat_maihda_summary(handle, &pcv, null, null));
                return pcv;
            }
        }

        /// <summary>Logistic models: the null model's discriminatory accuracy (AUC); NaN for linear models.</summary>
        public unsafe double AucNull
        {
            get
            {
                double auc;
                Check.Ok(NativeMethods.jamstat_maihda_summary(handle, null, &auc, null));
                return auc;
            }
        }

        /// <summary>Logistic models: the additive model's AUC; NaN for linear models.</summary>
        public unsafe double AucAdditive
        {
            get
            {
                double auc;
                Check.Ok(NativeMethods.jamstat_maihda_summary(handle, null, null, &auc));
                return auc;
            }
        }

        /// <summary>The additive model's strata whose interaction is clearly non-zero, largest first (indices into its strata).</summary>
        public unsafe long[] Interactions()
        {
            ulong* strata = null;
            UIntPtr count;
            Check.Ok(NativeMethods.jamstat_maihda_interactions(handle, &strata, &count));
            long n = checked((long)(ulong)count);
            var r = new long[n];
            for (long i = 0; i < n; ++i) r[i] = checked((long)strata[i]);
            return r;
        }

        /// <summary>Frees the analysis.</summary>
        public void Dispose() { handle.Dispose(); }
    }

    /// <summary>Oaxaca-Blinder options (jamstat_oaxaca_options); defaults from JAMSTAT_OAXACA_OPTIONS_INIT.</summary>
    public sealed class OaxacaOptions
    {
        /// <summary>Legitimate characteristics: names of dimensions besides sex.</summary>
        public string[] Characteristics { get; set; }
        /// <summary>Outcome (proportions) or Measure (means).</summary>
        public SubjectKind SubjectKind { get; set; }
        /// <summary>The outcome's or measure's index.</summary>
        public int Subject { get; set; }
        /// <summary>Reference coefficients.</summary>
        public OaxacaReference Reference { get; set; }
        /// <summary>w of OaxacaReference.Weighted (0.5).</summary>
        public double WomenWeight { get; set; }
        /// <summary>Outcomes: Yun's logit decomposition instead of the linear one.</summary>
        public bool Nonlinear { get; set; }
        /// <summary>Labels in English.</summary>
        public bool English { get; set; }

        /// <summary>The defaults of JAMSTAT_OAXACA_OPTIONS_INIT.</summary>
        public OaxacaOptions()
        {
            var d = jamstat_oaxaca_options.Init();
            SubjectKind = (SubjectKind)d.subject_kind;
            Subject = (int)d.subject;
            Reference = (OaxacaReference)d.reference;
            WomenWeight = d.women_weight;
            Nonlinear = d.nonlinear != 0;
            English = d.english != 0;
        }
    }

    /// <summary>The decomposition (jamstat_decomposition_result), copied: totals with standard errors and the detailed terms.</summary>
    public sealed class DecompositionResult
    {
        /// <summary>Women's participations.</summary>
        public ulong WomenParticipations { get; internal set; }
        /// <summary>Men's participations.</summary>
        public ulong MenParticipations { get; internal set; }
        /// <summary>Participations of sex codes 0 and 9, reported beside the decomposition.</summary>
        public ulong OtherSexParticipations { get; internal set; }
        /// <summary>Women's mean or proportion.</summary>
        public double WomenMean { get; internal set; }
        /// <summary>Men's mean or proportion.</summary>
        public double MenMean { get; internal set; }
        /// <summary>The gap, women minus men.</summary>
        public double Gap { get; internal set; }
        /// <summary>Its standard error.</summary>
        public double GapSe { get; internal set; }
        /// <summary>The part the characteristics explain.</summary>
        public double Explained { get; internal set; }
        /// <summary>Its standard error (delta method, Jann 2008).</summary>
        public double ExplainedSe { get; internal set; }
        /// <summary>The part they do not.</summary>
        public double Unexplained { get; internal set; }
        /// <summary>Its standard error.</summary>
        public double UnexplainedSe { get; internal set; }
        /// <summary>Threefold: endowments (NaN for the nonlinear decomposition).</summary>
        public double Endowments { get; internal set; }
        /// <summary>Its standard error.</summary>
        public double EndowmentsSe { get; internal set; }
        /// <summary>Threefold: coefficients.</summary>
        public double Coefficients { get; internal set; }
        /// <summary>Its standard error.</summary>
        public double CoefficientsSe { get; internal set; }
        /// <summary>Threefold: interaction.</summary>
        public double Interaction { get; internal set; }
        /// <summary>Its standard error.</summary>
        public double InteractionSe { get; internal set; }
        /// <summary>Per term: "(Intercept)" or the characteristic's name.</summary>
        public string[] Characteristic { get; internal set; }
        /// <summary>Per term: the level's label, or "".</summary>
        public string[] Level { get; internal set; }
        /// <summary>Per term: a characteristic's total over its levels.</summary>
        public bool[] IsTotal { get; internal set; }
        /// <summary>Per term: the explained part.</summary>
        public double[] ExplainedTerm { get; internal set; }
        /// <summary>Per term: its standard error.</summary>
        public double[] ExplainedTermSe { get; internal set; }
        /// <summary>Per term: the unexplained part.</summary>
        public double[] UnexplainedTerm { get; internal set; }
        /// <summary>Per term: its standard error.</summary>
        public double[] UnexplainedTermSe { get; internal set; }
    }

    /// <summary>The Oaxaca-Blinder decomposition of the gap between women and men, from the aggregate state.</summary>
    public sealed class Decomposition : IDisposable
    {
        readonly DecompositionHandle handle;

        Decomposition(DecompositionHandle handle) { this.handle = handle; }

        /// <summary>The C handle (for calls through Jamstat.Interop.NativeMethods).</summary>
        public DecompositionHandle Handle { get { return handle; } }

        internal static Decomposition Create(Aggregator aggregator, OaxacaOptions options)
        {
            return Create(aggregator, options, null);
        }

        /// <summary>jamstat_oaxaca_new, or jamstat_oaxaca_numeric_new when <paramref name="numeric"/> is not null.</summary>
        internal static unsafe Decomposition Create(Aggregator aggregator, OaxacaOptions options, string[] numeric)
        {
            if (options == null) throw new ArgumentNullException("options");
            var o = jamstat_oaxaca_options.Init();
            DecompositionHandle h;
            using (var characteristics = new Utf8Array(options.Characteristics, "Characteristics"))
            using (var numerics = new Utf8Array(numeric, "numeric"))
            {
                o.characteristics = characteristics.Pointer;
                o.characteristic_count = new UIntPtr((uint)characteristics.Count);
                o.subject_kind = (uint)options.SubjectKind;
                o.subject = checked((uint)options.Subject);
                o.reference = (uint)options.Reference;
                o.women_weight = options.WomenWeight;
                o.nonlinear = options.Nonlinear ? 1u : 0u;
                o.english = options.English ? 1u : 0u;
                if (numeric == null)
                    Check.Ok(NativeMethods.jamstat_oaxaca_new(aggregator.Handle, &o, out h));
                else
                    Check.Ok(NativeMethods.jamstat_oaxaca_numeric_new(aggregator.Handle, &o, numerics.Pointer,
                                                                      new UIntPtr((uint)numerics.Count), out h));
            }
            return new Decomposition(h);
        }

        /// <summary>The decomposition, copied.</summary>
        public unsafe DecompositionResult Result()
        {
            var d = jamstat_decomposition_result.Init();
            Check.Ok(NativeMethods.jamstat_decomposition_result_get(handle, &d));
            long n = checked((long)d.term_count);
            var r = new DecompositionResult
            {
                WomenParticipations = d.women_participations, MenParticipations = d.men_participations,
                OtherSexParticipations = d.other_sex_participations, WomenMean = d.women_mean, MenMean = d.men_mean,
                Gap = d.gap, GapSe = d.gap_se, Explained = d.explained, ExplainedSe = d.explained_se,
                Unexplained = d.unexplained, UnexplainedSe = d.unexplained_se, Endowments = d.endowments,
                EndowmentsSe = d.endowments_se, Coefficients = d.coefficients, CoefficientsSe = d.coefficients_se,
                Interaction = d.interaction, InteractionSe = d.interaction_se,
                Characteristic = ColumnCopy.Strings(d.characteristic, n), Level = ColumnCopy.Strings(d.level, n),
                IsTotal = new bool[n],
                ExplainedTerm = ColumnCopy.Values(d.explained_term, n), ExplainedTermSe = ColumnCopy.Values(d.explained_term_se, n),
                UnexplainedTerm = ColumnCopy.Values(d.unexplained_term, n), UnexplainedTermSe = ColumnCopy.Values(d.unexplained_term_se, n),
            };
            if (d.is_total != null)
                for (long i = 0; i < n; ++i) r.IsTotal[i] = d.is_total[i] != 0;
            return r;
        }

        /// <summary>Frees the decomposition.</summary>
        public void Dispose() { handle.Dispose(); }
    }
}
