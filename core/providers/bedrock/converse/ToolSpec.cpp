// The Converse toolSpec shape, shared by every client API's translator.
#include "providers/bedrock/converse/ToolSpec.h"

using namespace Qt::StringLiterals;

namespace quarry::bedrock {

QJsonObject toolSpec(const QString &name, const QString &description, const QJsonObject &schema)
{
    QJsonObject spec{{u"name"_s, name}, {u"inputSchema"_s, QJsonObject{{u"json"_s, schema}}}};
    if (!description.isEmpty())
        spec.insert(u"description"_s, description);
    return QJsonObject{{u"toolSpec"_s, spec}};
}

} // namespace quarry::bedrock
