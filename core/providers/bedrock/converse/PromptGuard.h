// The regex prompt guard of policies.ai.promptGuard: reject or mask sensitive text (SSNs, cards, ...).
#pragma once

#include "util/Result.h"

#include <QJsonArray>
#include <QList>
#include <QRegularExpression>
#include <QString>

#include <optional>

namespace quarry::bedrock {

struct PromptGuardRejection
{
    int statusCode = 403; // promptGuard.request[].response.statusCode, the CRD's default
    QString message;
};

// One list of guards (promptGuard.request or promptGuard.response), each
// {regex:{action: Mask|Reject (default Mask), builtins:[Ssn|CreditCard|PhoneNumber|Email|CaSin],
// matches:[custom regex]}, response:{message, statusCode}}. Guards of other kinds (webhook,
// openAIModeration) are not run by Quarry; parse() reports them so the caller can warn.
// Masking replaces a builtin's match with <SSN>, <CREDIT_CARD>, <PHONE_NUMBER>, <EMAIL_ADDRESS>
// or <CA_SIN>, and a custom pattern's with <MASKED>.
class PromptGuard
{
public:
    struct Pattern
    {
        QRegularExpression regex;
        QString name;        // "Ssn", ..., or the custom pattern itself
        QString replacement; // used when masking
    };
    struct Rule
    {
        bool reject = false;
        QList<Pattern> patterns;
        PromptGuardRejection rejection;
    };

    static Result<PromptGuard> parse(const QJsonArray &guards, const QString &path);

    // Masks `text` in place, or says why it must be rejected.
    std::optional<PromptGuardRejection> apply(QString &text) const;

    bool isEmpty() const { return m_rules.isEmpty(); }
    const QList<Rule> &rules() const { return m_rules; }
    const QStringList &unsupportedGuards() const { return m_unsupported; }

private:
    QList<Rule> m_rules;
    QStringList m_unsupported; // "promptGuard.request[1].webhook", ...
};

} // namespace quarry::bedrock
