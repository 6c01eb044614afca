"""Categories, category parameters and category suggestions."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from allegro_api.models.common import AllegroModel, IdRef

__all__ = [
    "Category",
    "CategoryList",
    "CategoryOptions",
    "CategoryParameter",
    "CategoryParameterList",
    "DictionaryValue",
    "DisplayConditions",
    "FormerData",
    "MatchingCategory",
    "MatchingCategoryList",
    "ParameterOptions",
    "ParameterWithValue",
    "RequirementConditions",
]


class CategoryOptions(AllegroModel):
    advertisement: bool | None = None
    offers_with_product_publication_enabled: bool | None = None
    product_creation_enabled: bool | None = None
    seller_can_require_purchase_comments: bool | None = None


class Category(AllegroModel):
    id: str | None = None
    name: str | None = None
    leaf: bool | None = None
    parent: IdRef | None = None
    options: CategoryOptions | None = None


class CategoryList(AllegroModel):
    categories: list[Category] = Field(default_factory=list)


class ParameterWithValue(AllegroModel):
    id: str | None = None
    one_of_value_ids: list[str] | None = None


class RequirementConditions(AllegroModel):
    """``requiredIf``: required only when every condition holds."""

    parameters_with_value: list[ParameterWithValue] | None = None
    parameters_without_value: list[IdRef] | None = None


class DisplayConditions(AllegroModel):
    """``displayedIf``: shown only when every condition holds."""

    parameters_with_value: list[ParameterWithValue] | None = None


class ParameterOptions(AllegroModel):
    ambiguous_value_id: str | None = None
    depends_on_parameter_id: str | None = None
    describes_product: bool | None = None
    custom_values_enabled: bool | None = None


class FormerData(AllegroModel):
    ids: list[str] | None = None
    names: list[str] | None = None


class DictionaryValue(AllegroModel):
    id: str | None = None
    value: str | None = None
    depends_on_value_ids: list[str] | None = None
    former_data: Any = None


class CategoryParameter(AllegroModel):
    """One ``CategoryParameter``; ``restrictions`` depends on ``type``.

    dictionary → ``multipleChoices``; integer/float → ``min``, ``max``, ``range`` (+``precision``);
    string → ``minLength``, ``maxLength``, ``allowedNumberOfValues``.
    """

    id: str | None = None
    name: str | None = None
    type: str | None = None
    required: bool | None = None
    required_for_product: bool | None = None
    required_if: RequirementConditions | None = None
    displayed_if: DisplayConditions | None = None
    unit: str | None = None
    options: ParameterOptions | None = None
    restrictions: dict[str, Any] | None = None
    dictionary: list[DictionaryValue] | None = None
    former_data: FormerData | None = None

    @property
    def describes_product(self) -> bool:
        """Product parameters go to ``productSet[].product.parameters``, the rest to the offer."""
        return bool(self.options and self.options.describes_product)


class CategoryParameterList(AllegroModel):
    parameters: list[CategoryParameter] = Field(default_factory=list)


class MatchingCategory(AllegroModel):
    id: str | None = None
    name: str | None = None
    parent: MatchingCategory | None = None


class MatchingCategoryList(AllegroModel):
    matching_categories: list[MatchingCategory] = Field(default_factory=list)
