// The field format of history's capture blobs: a big-endian u32 length, then that many bytes.
// Written by appends and read with every length checked against what is left.
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QtEndian>

#include <cstring>
#include <optional>

namespace quarry::telemetry {

constexpr qsizetype FieldLengthBytes = 4;

// A length as the format writes it, at `to` (FieldLengthBytes of room).
inline void writeLength(char *to, qsizetype length)
{
    qToBigEndian<quint32>(quint32(length), to);
}

inline void appendLength(QByteArray &out, qsizetype length)
{
    char bytes[FieldLengthBytes];
    writeLength(bytes, length);
    out.append(bytes, FieldLengthBytes);
}

// One resize and a copy: each captured header is two fields, and two appends per field were most
// of what capturing a request's headers cost.
inline void appendField(QByteArray &out, QByteArrayView field)
{
    const qsizetype at = out.size();
    out.resize(at + FieldLengthBytes + field.size());
    char *to = out.data() + at;
    writeLength(to, field.size());
    if (!field.isEmpty()) // memcpy's pointers must not be null, even for no bytes
        std::memcpy(to + FieldLengthBytes, field.data(), size_t(field.size()));
}

class FieldReader
{
public:
    explicit FieldReader(QByteArrayView bytes) : m_rest(bytes) {}

    std::optional<quint32> length()
    {
        if (m_rest.size() < FieldLengthBytes)
            return std::nullopt;
        const quint32 value = qFromBigEndian<quint32>(m_rest.data());
        m_rest = m_rest.sliced(FieldLengthBytes);
        return value;
    }
    std::optional<QByteArray> field()
    {
        const auto size = length();
        if (!size || *size > quint32(m_rest.size()))
            return std::nullopt;
        QByteArray bytes = m_rest.first(*size).toByteArray();
        m_rest = m_rest.sliced(*size);
        return bytes;
    }
    std::optional<bool> flag()
    {
        if (m_rest.isEmpty())
            return std::nullopt;
        const bool value = m_rest.front() != 0;
        m_rest = m_rest.sliced(1);
        return value;
    }
    bool atEnd() const { return m_rest.isEmpty(); }

private:
    QByteArrayView m_rest;
};

} // namespace quarry::telemetry
