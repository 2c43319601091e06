// Writing the Prometheus text format: escaping, number formatting and histogram expansion.
#include "telemetry/PrometheusText.h"

#include <QLocale>

#include <cmath>

namespace quarry::telemetry {

Histogram::Histogram(QList<double> upperBounds)
    : m_upperBounds(std::move(upperBounds)), m_bucketCounts(m_upperBounds.size(), 0)
{}

void Histogram::observe(double value)
{
    // Bounds are inclusive (`le`); a value above the last one lands only in +Inf, i.e. m_count.
    for (qsizetype i = 0; i < m_upperBounds.size(); ++i) {
        if (value <= m_upperBounds[i]) {
            ++m_bucketCounts[i];
            break;
        }
    }
    ++m_count;
    m_sum += value;
}

quint64 Histogram::cumulativeCount(qsizetype bucket) const
{
    quint64 total = 0;
    for (qsizetype i = 0; i <= bucket && i < m_bucketCounts.size(); ++i)
        total += m_bucketCounts[i];
    return total;
}

void PrometheusText::addFamily(QByteArrayView name, QByteArrayView type, const QString &help)
{
    // HELP text escapes backslash and line feed (not the double quote, unlike label values).
    QByteArray escaped = help.toUtf8();
    escaped.replace("\\", "\\\\").replace("\n", "\\n");
    m_text += "# HELP " + name.toByteArray() + ' ' + escaped + '\n';
    m_text += "# TYPE " + name.toByteArray() + ' ' + type.toByteArray() + '\n';
}

void PrometheusText::addSample(QByteArrayView name, const MetricLabels &labels, double value)
{
    writeSample(name, labels, {}, {}, value);
}

void PrometheusText::addHistogram(QByteArrayView name, const MetricLabels &labels, const Histogram &histogram)
{
    const QByteArray bucket = name.toByteArray() + "_bucket";
    for (qsizetype i = 0; i < histogram.upperBounds().size(); ++i)
        writeSample(bucket, labels, "le", formatNumber(histogram.upperBounds()[i]),
                    double(histogram.cumulativeCount(i)));
    writeSample(bucket, labels, "le", "+Inf", double(histogram.count()));
    writeSample(QByteArray(name.toByteArray() + "_sum"), labels, {}, {}, histogram.sum());
    writeSample(QByteArray(name.toByteArray() + "_count"), labels, {}, {}, double(histogram.count()));
}

void PrometheusText::writeSample(QByteArrayView name, const MetricLabels &labels, QByteArrayView extraLabel,
                                 QByteArrayView extraValue, double value)
{
    m_text += name.toByteArray();
    QByteArray written;
    for (const auto &[labelName, labelValue] : labels) {
        if (labelValue.isEmpty())
            continue; // Prometheus treats an empty value as an absent label
        written += (written.isEmpty() ? "" : ",") + labelName + "=\"" + escapeLabelValue(labelValue) + '"';
    }
    if (!extraLabel.isEmpty())
        written += (written.isEmpty() ? "" : ",") + extraLabel.toByteArray() + "=\"" +
                   extraValue.toByteArray() + '"';
    if (!written.isEmpty())
        m_text += '{' + written + '}';
    m_text += ' ' + formatNumber(value) + '\n';
}

QByteArray PrometheusText::escapeLabelValue(const QString &value)
{
    QByteArray escaped = value.toUtf8();
    escaped.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    return escaped;
}

QByteArray PrometheusText::formatNumber(double value)
{
    if (std::isnan(value))
        return "NaN";
    if (std::isinf(value))
        return value > 0 ? "+Inf" : "-Inf";
    // Counts and bucket bounds such as 67108864 read better as integers than as 6.7108864e+07.
    if (value == std::floor(value) && std::fabs(value) < 1e15)
        return QByteArray::number(qint64(value));
    return QByteArray::number(value, 'g', QLocale::FloatingPointShortest);
}

} // namespace quarry::telemetry
