// The HTTPRoute form.
#include "editors/RouteForm.h"

#include "editors/KeyValueTable.h"
#include "editors/RouteRuleFields.h"
#include "gateway/RouteShadowing.h"

#include <QFormLayout>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QTabBar>
#include <QTabWidget>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;
using namespace quarry::config;

namespace quarry::ui {

RouteForm::RouteForm(QWidget *parent)
    : ResourceForm(parent)
    , m_rules(new QTabWidget(this))
    , m_addRule(new QPushButton(u"Add r&ule"_s, this))
    , m_removeRule(new QPushButton(u"Remove rule"_s, this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *fields = new QFormLayout;
    fields->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_name = addLine(fields, u"&Name"_s, u"metadata.name"_s, u"bedrock"_s);
    m_namespace = addLine(fields, u"Names&pace"_s, u"metadata.namespace"_s, kDefaultNamespace);
    m_parent = addLine(fields, u"Parent &gateway"_s, u"spec.parentRefs"_s, u"agentgateway"_s);
    m_hostnames = addLine(fields, u"Hos&tnames"_s, u"spec.hostnames"_s, u"any (comma-separated)"_s);
    layout->addLayout(fields);
    auto *ruleButtons = new QHBoxLayout;
    ruleButtons->addStretch(1);
    ruleButtons->addWidget(m_addRule);
    ruleButtons->addWidget(m_removeRule);
    layout->addLayout(ruleButtons);
    layout->addWidget(m_rules, 1);
    m_rules->setAccessibleName(u"Rules"_s);
    m_addRule->setAccessibleName(u"Add rule"_s);
    m_removeRule->setAccessibleName(u"Remove rule"_s);
    registerField(u"spec.rules"_s, m_rules);
    connect(m_addRule, &QPushButton::clicked, this, &RouteForm::addRule);
    connect(m_removeRule, &QPushButton::clicked, this, &RouteForm::removeCurrentRule);
    setResource(blank());
}

Resource RouteForm::blank() const
{
    HttpRoute route;
    route.meta.name = u"new-route"_s;
    route.parentRefs = {ParentRef{{}, {}, u"agentgateway"_s, kDefaultNamespace, {}, {}}};
    RouteRule rule;
    rule.matches = {RouteMatch{PathMatch{PathMatch::Type::PathPrefix, u"/new-route"_s}, {}, {}}};
    rule.backendRefs = {RouteRuleFields::newBackendRef(u"bedrock"_s, kDefaultNamespace)};
    route.rules = {rule};
    return Resource{route, {}};
}

QString RouteForm::routeNamespace() const
{
    const QString ns = m_namespace->text().trimmed();
    return ns.isEmpty() ? kDefaultNamespace : ns;
}

RouteRuleFields *RouteForm::rule(int index) const
{
    const auto *area = qobject_cast<QScrollArea *>(m_rules->widget(index));
    return area ? qobject_cast<RouteRuleFields *>(area->widget()) : nullptr;
}

// As tall as the fields and the tallest rule, so the rule is not squeezed while the window has
// room; in a short window the rule's tab scrolls.
QSize RouteForm::sizeHint() const
{
    int ruleHeight = 0;
    for (int i = 0; i < m_rules->count(); ++i)
        ruleHeight = std::max(ruleHeight, rule(i)->sizeHint().height());
    const int top = m_name->sizeHint().height() * 5 + 40; // four fields and the rule buttons
    return {ResourceForm::sizeHint().width(), top + ruleHeight + m_rules->tabBar()->sizeHint().height() + 16};
}

RouteRuleFields *RouteForm::appendRuleTab(const RouteRule &rule, const QString &ns)
{
    auto *area = new QScrollArea(m_rules);
    area->setWidgetResizable(true);
    area->setFrameShape(QFrame::NoFrame);
    area->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff); // columns shrink with the width
    auto *fields = new RouteRuleFields(area);
    area->setWidget(fields);
    fields->setRule(rule, ns);
    fields->setBackendChoices(choices().backends(ns));
    connect(fields, &RouteRuleFields::edited, this, &RouteForm::notifyEdited);
    const int index = m_rules->addTab(area, QString());
    m_rules->setTabText(index, rule.name.isEmpty() ? u"Rule %1"_s.arg(index + 1) : rule.name);
    return fields;
}

void RouteForm::addRule()
{
    RouteRule rule;
    rule.matches = {RouteMatch{}};
    appendRuleTab(rule, routeNamespace());
    m_rules->setCurrentIndex(m_rules->count() - 1);
    m_removeRule->setEnabled(m_rules->count() > 1);
    notifyEdited();
}

void RouteForm::removeCurrentRule()
{
    if (m_rules->count() <= 1) // a route without rules would send nothing anywhere
        return;
    delete m_rules->currentWidget();
    for (int i = 0; i < m_rules->count(); ++i) {
        if (m_rules->tabText(i).startsWith(u"Rule "_s))
            m_rules->setTabText(i, u"Rule %1"_s.arg(i + 1));
    }
    m_removeRule->setEnabled(m_rules->count() > 1);
    notifyEdited();
}

void RouteForm::setChoices(const FormChoices &choices)
{
    ResourceForm::setChoices(choices);
    const QStringList backends = choices.backends(routeNamespace());
    for (int i = 0; i < m_rules->count(); ++i)
        rule(i)->setBackendChoices(backends);
}

void RouteForm::setResource(const Resource &resource)
{
    const auto *route = resource.as<HttpRoute>();
    if (!route)
        return;
    m_base = *route;
    loading([&] {
        m_name->setText(route->meta.name);
        m_namespace->setText(route->meta.ns);
        m_parent->setText(route->parentRefs.value(0).name);
        m_hostnames->setText(route->hostnames.join(u", "_s));
        const int current = m_rules->currentIndex();
        while (m_rules->count() > 0)
            delete m_rules->widget(0);
        for (const RouteRule &rule : route->rules)
            appendRuleTab(rule, route->meta.ns);
        m_rules->setCurrentIndex(std::min(std::max(current, 0), int(m_rules->count()) - 1));
    });
    m_removeRule->setEnabled(m_rules->count() > 1);
}

Resource RouteForm::resource() const
{
    HttpRoute route = m_base;
    route.meta.name = m_name->text().trimmed();
    route.meta.ns = routeNamespace();
    const QString parent = m_parent->text().trimmed();
    if (parent.isEmpty()) {
        route.parentRefs.clear();
    } else if (route.parentRefs.isEmpty()) {
        route.parentRefs = {ParentRef{{}, {}, parent, route.meta.ns, {}, {}}};
    } else {
        route.parentRefs[0].name = parent;
    }
    QStringList hostnames;
    for (const QString &host : m_hostnames->text().split(u',', Qt::SkipEmptyParts))
        hostnames.append(host.trimmed());
    route.hostnames = hostnames;
    route.rules.clear();
    for (int i = 0; i < m_rules->count(); ++i)
        route.rules.append(rule(i)->rule(route.meta.ns));
    return Resource{route, {}};
}

QStringList RouteForm::warningsFor(const Resource &resource) const
{
    const auto *route = resource.as<HttpRoute>();
    if (!route)
        return {};
    QStringList warnings;
    for (const auto &shadowed : gateway::RouteShadowing::find(choices().resources, choices().gatewayName, *route)) {
        warnings.append(u"%1 is shadowed by %2: Gateway API precedence sends its requests there (rule %3)."_s
                            .arg(shadowed.path, shadowed.winner)
                            .arg(shadowed.rule + 1));
    }
    return warnings;
}

} // namespace quarry::ui
