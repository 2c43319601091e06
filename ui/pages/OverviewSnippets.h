// "Point your tools here": the copyable snippets the Overview shows for one route.
#pragma once

#include <QList>
#include <QString>

namespace quarry::ui {

struct Snippet
{
    QString title; // "curl", "OpenAI Python", ...
    QString text;
};

class OverviewSnippets
{
public:
    // baseUrl: "http://localhost:8080/bedrock"; model: what to put in "model" ("" when the
    // backend fixes the model, as the seed does).
    static QList<Snippet> forRoute(const QString &baseUrl, const QString &model);
    // "127.0.0.1:8080" -> "http://localhost:8080" (tools and browsers know localhost).
    static QString origin(const QString &listenAddress);
};

} // namespace quarry::ui
