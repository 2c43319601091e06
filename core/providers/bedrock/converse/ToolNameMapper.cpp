// Deterministic tool-name mapping for Bedrock's name pattern, and its reverse.
#include "providers/bedrock/converse/ToolNameMapper.h"

#include <QCryptographicHash>

using namespace Qt::StringLiterals;

namespace quarry::bedrock {
namespace {

constexpr int KeptCharacters = 55; // 55 + '_' + 8 hex digits = 64

bool isAllowed(QChar c)
{
    return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9') || c == u'_'
           || c == u'-';
}

} // namespace

bool ToolNameMapper::isValidBedrockName(const QString &name)
{
    if (name.isEmpty() || name.size() > MaximumLength)
        return false;
    for (const QChar c : name) {
        if (!isAllowed(c))
            return false;
    }
    return true;
}

ToolNameMapper::ToolNameMapper(const QStringList &clientNames)
{
    for (const QString &name : clientNames)
        toBedrock(name);
}

QString ToolNameMapper::toBedrock(const QString &clientName) const
{
    if (isValidBedrockName(clientName))
        return clientName;
    QString cleaned;
    for (const QChar c : clientName.left(KeptCharacters))
        cleaned.append(isAllowed(c) ? c : u'_');
    const QByteArray digest = QCryptographicHash::hash(clientName.toUtf8(), QCryptographicHash::Sha256);
    const QString mapped = cleaned % u'_' % QString::fromLatin1(digest.toHex().left(8));
    m_toClient.insert(mapped, clientName);
    return mapped;
}

QString ToolNameMapper::toClient(const QString &bedrockName) const
{
    return m_toClient.value(bedrockName, bedrockName);
}

} // namespace quarry::bedrock
