// Captured headers kept as one buffer of length-prefixed fields.
#include "telemetry/HeaderBlock.h"

#include "telemetry/HeaderRedaction.h"
#include "telemetry/LengthPrefixedFields.h"

namespace quarry::telemetry {

void HeaderBlock::reserve(qsizetype count, qsizetype bytes)
{
    m_fields.reserve(count * 2 * FieldLengthBytes + bytes);
}

void HeaderBlock::append(const QByteArray &name, const QByteArray &value)
{
    appendField(m_fields, name);
    appendField(m_fields, redactedHeaderValue(name, value));
    ++m_count;
}

qsizetype HeaderBlock::memoryBytes() const
{
    return qMax(m_fields.size(), m_fields.capacity());
}

HeaderBlock::Pairs HeaderBlock::pairs() const
{
    Pairs headers;
    headers.reserve(m_count);
    FieldReader in(m_fields);
    for (quint32 i = 0; i < m_count; ++i) {
        auto name = in.field();
        auto value = in.field();
        if (!name || !value) // only append() writes the fields, so this does not happen
            break;
        headers.append({std::move(*name), std::move(*value)});
    }
    return headers;
}

} // namespace quarry::telemetry
