// Reversible tool-name mapping between Anthropic clients and Bedrock's toolSpec.name rules.
#include "providers/bedrock/anthropic/AnthropicToolNames.h"

#include <QCryptographicHash>

using namespace Qt::StringLiterals;

namespace quarry::bedrock {
namespace {

constexpr qsizetype kMaxLength = 64;
constexpr qsizetype kPrefixLength = 55; // + '_' + 8 hex digits = 64

bool isAllowed(QChar c)
{
    return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9') || c == u'_' ||
           c == u'-';
}

QString hashed(const QString &sanitized, const QString &original)
{
    const QByteArray digest = QCryptographicHash::hash(original.toUtf8(), QCryptographicHash::Sha1).toHex();
    return sanitized.left(kPrefixLength) % u'_' % QString::fromLatin1(digest.left(8));
}

} // namespace

AnthropicToolNames::AnthropicToolNames(const QStringList &clientNames)
{
    // Valid names first, so a mapped name can never take a name a client really uses.
    for (const QString &name : clientNames) {
        if (isValidBedrockName(name) && !m_toBedrock.contains(name)) {
            m_toBedrock.insert(name, name);
            m_toClient.insert(name, name);
        }
    }
    for (const QString &name : clientNames) {
        if (m_toBedrock.contains(name))
            continue;
        QString sanitized;
        for (const QChar c : name)
            sanitized.append(isAllowed(c) ? c : u'_');
        QString mapped = sanitized;
        if (mapped.isEmpty() || mapped.size() > kMaxLength || m_toClient.contains(mapped))
            mapped = hashed(sanitized, name);
        m_toBedrock.insert(name, mapped);
        m_toClient.insert(mapped, name);
    }
}

QString AnthropicToolNames::toBedrock(const QString &clientName) const
{
    return m_toBedrock.value(clientName, clientName);
}

QString AnthropicToolNames::toClient(const QString &bedrockName) const
{
    return m_toClient.value(bedrockName, bedrockName);
}

bool AnthropicToolNames::isValidBedrockName(const QString &name)
{
    if (name.isEmpty() || name.size() > kMaxLength)
        return false;
    return std::all_of(name.begin(), name.end(), isAllowed);
}

} // namespace quarry::bedrock
