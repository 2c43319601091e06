// A captured message's headers in one buffer, in the form history's capture blobs store them.
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QPair>

#include <ranges>

namespace quarry::telemetry {

// Each name and value a length-prefixed field (LengthPrefixedFields.h), credentials redacted as
// they are added. One buffer because records are made on a worker and mostly end on the history
// thread: a list of header pairs shared with the request took a reference per name and value on
// the worker, and the history thread gave each back on a cache line the worker had last written,
// about 2 % of serve's CPU on a proxied request.
class HeaderBlock
{
public:
    using Pairs = QList<QPair<QByteArray, QByteArray>>;

    HeaderBlock() = default;
    // From any list whose entries unpack into a name and a value (Pairs, http::HttpHeaders).
    template<std::ranges::sized_range Headers>
    explicit HeaderBlock(const Headers &headers)
    {
        qsizetype bytes = 0;
        for (const auto &[name, value] : headers)
            bytes += name.size() + value.size();
        reserve(headers.size(), bytes);
        for (const auto &[name, value] : headers)
            append(name, value);
    }

    // Room for `count` headers whose names and values add up to `bytes`.
    void reserve(qsizetype count, qsizetype bytes);
    // Adds one header, its value as redactedHeaderValue() keeps it.
    void append(const QByteArray &name, const QByteArray &value);

    quint32 count() const { return m_count; }
    QByteArrayView fields() const { return m_fields; }
    qsizetype memoryBytes() const;
    Pairs pairs() const;

private:
    QByteArray m_fields;
    quint32 m_count = 0;
};

} // namespace quarry::telemetry
