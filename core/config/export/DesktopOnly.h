// Settings that only make sense on the desktop, and what an export says about them instead:
// loopback endpoint overrides (the simulator, tests) and Quarry's own annotations.
#pragma once

#include "config/Resources.h"

#include <QString>
#include <QStringList>

namespace quarry::config {

class DesktopOnly
{
public:
    static inline const QString kAnnotationPrefix = QStringLiteral("quarry.dev/");

    static bool isLoopbackHost(const QString &host);

    // Removes every quarry.dev/ annotation from the metadata; returns the comment lines that say
    // what the cluster needs in its place (an IAM role for the pod instead of a local AWS profile).
    static QStringList takeAnnotations(ObjectMeta &meta);

    // Drops a host/port/path override that points at this machine; returns the warning to print
    // (empty when the provider keeps its endpoint). `where` names the provider in the warning.
    static QString dropLoopbackEndpoint(AiProvider &provider, const QString &where);

    // What a backend that signs with the AWS default credential chain needs on a cluster.
    static QStringList podIdentityComment();
};

} // namespace quarry::config
