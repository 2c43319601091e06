// Prometheus's text exposition format 0.0.4: the families, samples and histograms /metrics serves.
// Format: https://prometheus.io/docs/instrumenting/exposition_formats/#text-based-format
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QPair>
#include <QString>

namespace quarry::telemetry {

// A series' labels, in the order they are written: name (a valid Prometheus label name) and value.
using MetricLabels = QList<QPair<QByteArray, QString>>;

// One histogram series with fixed upper bounds (OpenTelemetry's explicit bucket boundaries).
class Histogram
{
public:
    explicit Histogram(QList<double> upperBounds = {});

    void observe(double value);

    const QList<double> &upperBounds() const { return m_upperBounds; }
    // Observations <= upperBounds()[bucket], counted cumulatively as Prometheus' `le` buckets are.
    quint64 cumulativeCount(qsizetype bucket) const;
    quint64 count() const { return m_count; }
    double sum() const { return m_sum; }

private:
    QList<double> m_upperBounds;   // implicitly shared between every series of a family
    QList<quint64> m_bucketCounts; // per bucket, not cumulative; above the last bound only in m_count
    quint64 m_count = 0;
    double m_sum = 0;
};

class PrometheusText
{
public:
    static constexpr QByteArrayView ContentType = "text/plain; version=0.0.4; charset=utf-8";

    // `type`: "counter", "gauge" or "histogram". Every sample of the family follows its header.
    void addFamily(QByteArrayView name, QByteArrayView type, const QString &help);
    void addSample(QByteArrayView name, const MetricLabels &labels, double value);
    // NAME_bucket{...,le="..."} for each bound and +Inf, then NAME_sum and NAME_count.
    void addHistogram(QByteArrayView name, const MetricLabels &labels, const Histogram &histogram);

    const QByteArray &text() const { return m_text; }

    // A label value between double quotes: backslash, double quote and line feed escaped.
    static QByteArray escapeLabelValue(const QString &value);
    // Integers without a fraction, others in the shortest form that reads back exactly; +Inf, -Inf, NaN.
    static QByteArray formatNumber(double value);

private:
    void writeSample(QByteArrayView name, const MetricLabels &labels, QByteArrayView extraLabel,
                     QByteArrayView extraValue, double value);

    QByteArray m_text;
};

} // namespace quarry::telemetry
