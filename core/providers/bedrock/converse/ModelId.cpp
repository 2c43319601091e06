// Percent-encoding of model ids for Bedrock runtime URL paths.
#include "providers/bedrock/converse/ModelId.h"

namespace quarry::bedrock {

QByteArray encodeModelIdForPath(const QString &modelId)
{
    // QByteArray::toPercentEncoding leaves exactly the unreserved set alone by default.
    return modelId.toUtf8().toPercentEncoding();
}

QString decodeModelIdFromPath(const QByteArray &segment)
{
    return QString::fromUtf8(QByteArray::fromPercentEncoding(segment));
}

} // namespace quarry::bedrock
