// Bedrock's on-demand prices by model and Region, read from the shipped table
// (resources/pricing/bedrock.json) and the user's pricing.json, and the cost of a request at them.
#pragma once

#include "util/Result.h"
#include "util/TokenUsage.h"

#include <QHash>
#include <QString>
#include <QStringList>

#include <optional>

namespace quarry::telemetry {

// USD per 1,000 tokens. A cache rate that is absent means the model is not known to cache on
// Bedrock at a verified price: a request that used the cache is then left unpriced, never guessed.
struct TokenRates
{
    double input = 0;
    double output = 0;
    std::optional<double> cacheRead;
    std::optional<double> cacheWrite;
};

class PriceTable
{
public:
    // Rates for one model: per Region ("*" = any Region not listed) and for the global. profile.
    struct Entry
    {
        QHash<QString, TokenRates> regions;
        std::optional<TokenRates> global;
    };

    // The table compiled into the binary (always valid: a test reads it).
    static PriceTable shipped();
    // Reads a table in the shipped format; the error names the field ("models.x.regions.y.input: ...").
    static Result<PriceTable> parse(const QByteArray &json);
    // The shipped table with `configDir`/pricing.json's entries in place of the shipped ones. A file
    // that cannot be read leaves the shipped table and a warning that says why (else `warning` is empty).
    static PriceTable load(const QString &configDir, QString *warning);
    static QString overridePath(const QString &configDir);
    // A price list is a few kilobytes; a pricing.json far larger is not one.
    static constexpr qint64 MaxOverrideBytes = 4 * 1024 * 1024;

    // What `model` costs when called in `region`: an inference-profile id (us./eu./apac./global.,
    // or an inference-profile or foundation-model ARN) is priced as its base model; nullopt = unpriced.
    std::optional<TokenRates> ratesFor(const QString &model, const QString &region) const;
    // USD for `tokens`, or -1 when the model, its Region or a cache rate it needs is unpriced.
    double costOf(const QString &model, const QString &region, const TokenUsage &tokens) const;

    QString source() const { return m_source; }
    QString readOn() const { return m_read; }
    qsizetype size() const { return m_models.size(); }
    // The base model ids it prices, sorted: what a model picker can offer before (or without) a
    // call to Bedrock's control plane.
    QStringList modelIds() const;
    // Entries of `other` replace this table's, model by model.
    void overrideWith(const PriceTable &other);

private:
    QHash<QString, Entry> m_models; // by base model id
    QString m_source;
    QString m_read;
};

// "us.anthropic.claude-…", "arn:aws:bedrock:…:inference-profile/eu.meta.…" and
// "arn:aws:bedrock:…::foundation-model/amazon.nova-…" -> the base model id and whether the id
// named the global. profile. Anything else is returned as it is.
struct BaseModel
{
    QString id;
    bool global = false;
};
BaseModel baseModelOf(const QString &model);

} // namespace quarry::telemetry
