// The labelled series of one metric, with a cap on how many there may be: label values such as the
// model come from clients, and a client may send any number of them.
#pragma once

#include "telemetry/PrometheusText.h"

#include <QStringList>

#include <map>
#include <optional>

namespace quarry::telemetry {

template <typename Value> class SeriesFamily
{
public:
    // Longer label values are cut here: a model name is at most a few hundred characters.
    static constexpr qsizetype MaxLabelValueLength = 256;
    // The one label of the series that takes everything past the cap, as OpenTelemetry SDKs name it
    // (https://opentelemetry.io/docs/specs/otel/metrics/sdk/#cardinality-limits).
    static constexpr QByteArrayView OverflowLabel = "otel_metric_overflow";

    SeriesFamily(QList<QByteArray> labelNames, int maxSeries, Value empty = {})
        : m_labelNames(std::move(labelNames)), m_maxSeries(maxSeries), m_empty(std::move(empty))
    {}

    // The series for these label values (one per label name, in order). Once maxSeries series
    // exist, a new combination is folded into the single overflow series.
    Value &series(QStringList labelValues)
    {
        for (QString &value : labelValues)
            value.truncate(MaxLabelValueLength);
        if (const auto found = m_series.find(labelValues); found != m_series.end())
            return found->second;
        if (int(m_series.size()) < m_maxSeries)
            return m_series.emplace(std::move(labelValues), m_empty).first->second;
        if (!m_overflow)
            m_overflow = m_empty;
        return *m_overflow;
    }

    // visit(const MetricLabels &, const Value &) for every series, sorted by label values, the
    // overflow series last.
    template <typename Visit> void forEach(Visit visit) const
    {
        for (const auto &[values, value] : m_series) {
            MetricLabels labels;
            for (qsizetype i = 0; i < m_labelNames.size(); ++i)
                labels.append({m_labelNames[i], values.value(i)});
            visit(labels, value);
        }
        if (m_overflow)
            visit(MetricLabels{{OverflowLabel.toByteArray(), QStringLiteral("true")}}, *m_overflow);
    }

    int maxSeries() const { return m_maxSeries; }

private:
    QList<QByteArray> m_labelNames;
    int m_maxSeries;
    Value m_empty;                         // what a new series starts as (a histogram with its bounds, or 0)
    std::map<QStringList, Value> m_series; // ordered, so a scrape lists series in a stable order
    std::optional<Value> m_overflow;
};

} // namespace quarry::telemetry
