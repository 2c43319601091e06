// The regex prompt guard of policies.ai.promptGuard: reject or mask sensitive text (SSNs, cards, ...).
#pragma once

#include "providers/bedrock/converse/ApiError.h"
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

    ApiError toApiError() const
    {
        return {statusCode, QStringLiteral("invalid_request_error"), QStringLiteral("prompt_guard"), message};
    }
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

    // subject names what the guard reads in its default rejection message ("request", "answer").
    static Result<PromptGuard> parse(const QJsonArray &guards, const QString &path,
                                     QString subject = QStringLiteral("request"));

    // Masks `text` in place, or says why it must be rejected.
    std::optional<PromptGuardRejection> apply(QString &text) const;
    // The same over every string in a JSON body whose shape Quarry does not model (InvokeModel's
    // per-model bodies and answers): the text the model reads or wrote is in one of them.
    std::optional<PromptGuardRejection> applyToEveryString(QJsonValue &value) const;

    bool isEmpty() const { return m_rules.isEmpty(); }
    const QList<Rule> &rules() const { return m_rules; }
    const QStringList &unsupportedGuards() const { return m_unsupported; }

private:
    QList<Rule> m_rules;
    QStringList m_unsupported; // "promptGuard.request[1].webhook", ...
    QString m_subject;
};

} // namespace quarry::bedrock
