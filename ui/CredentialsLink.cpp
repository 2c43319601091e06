// The window's wording of "create this secret" (see CredentialsLink.h).
#include "CredentialsLink.h"

#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace quarry::ui {

namespace {

// The two ways core words it: CredentialResolver's "Store it with: quarry create secret generic N -n NS
// --from-literal=… (or …)" at the end of a message, and ReferenceCheck's "create it with `quarry
// create secret generic N -n NS --from-literal=...` or on the Credentials page".
const QRegularExpression &advice()
{
    static const QRegularExpression pattern(
        u"(Store it with: |create it with `)quarry create secret generic (\\S+) -n (\\S+)(?:[^`]*` or on the Credentials page|.*$)"_s);
    return pattern;
}

const QString kScheme = u"quarry-secret:"_s;

QString adviceText(const QRegularExpressionMatch &match)
{
    return match.captured(1).startsWith(u'S') ? u"Add it on the Credentials page."_s
                                              : u"create it on the Credentials page"_s;
}

} // namespace

QString CredentialsLink::richText(const QString &message)
{
    const auto match = advice().match(message);
    if (!match.hasMatch())
        return message.toHtmlEscaped();
    const QString id = match.captured(3) + u'/' + match.captured(2);
    return message.left(match.capturedStart()).toHtmlEscaped() + u"<a href=\""_s + kScheme +
           id.toHtmlEscaped() + u"\">"_s + adviceText(match) + u"</a>"_s +
           message.mid(match.capturedEnd()).toHtmlEscaped();
}

QString CredentialsLink::plainText(const QString &message, const QString &replacement)
{
    const auto match = advice().match(message);
    if (!match.hasMatch())
        return message;
    return message.left(match.capturedStart()) + replacement + message.mid(match.capturedEnd());
}

std::optional<secrets::SecretId> CredentialsLink::secretOf(const QString &link)
{
    if (!link.startsWith(kScheme))
        return std::nullopt;
    const QString id = link.mid(kScheme.size());
    const secrets::SecretId secret{id.section(u'/', 0, 0), id.section(u'/', 1)};
    return secret.isValid() ? std::optional(secret) : std::nullopt;
}

} // namespace quarry::ui
