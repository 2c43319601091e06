// The cluster flavours `quarry export` writes for.
#include "config/export/ExportTarget.h"

using namespace Qt::StringLiterals;

namespace quarry::config {

std::optional<ExportTarget> parseExportTarget(QStringView name)
{
    for (ExportTarget target :
         {ExportTarget::Agentgateway, ExportTarget::KgatewayV22, ExportTarget::KgatewayV21}) {
        if (name == exportTargetName(target))
            return target;
    }
    return std::nullopt;
}

QString exportTargetName(ExportTarget target)
{
    switch (target) {
    case ExportTarget::Agentgateway:
        return u"agentgateway"_s;
    case ExportTarget::KgatewayV22:
        return u"kgateway-v2.2"_s;
    case ExportTarget::KgatewayV21:
        return u"kgateway-v2.1"_s;
    }
    return {};
}

QStringList exportTargetNames()
{
    return {u"agentgateway"_s, u"kgateway-v2.2"_s, u"kgateway-v2.1"_s};
}

QString backendGroup(ExportTarget target)
{
    return target == ExportTarget::Agentgateway ? u"agentgateway.dev"_s : u"gateway.kgateway.dev"_s;
}

QString backendKind(ExportTarget target)
{
    return target == ExportTarget::KgatewayV21 ? u"Backend"_s : u"AgentgatewayBackend"_s;
}

} // namespace quarry::config
