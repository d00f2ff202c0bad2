"""The retail tools over any ``RetailShop``. Authorization uses the verified customer id of the call."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from kefu.domain.errors import ToolError
from kefu.packs.retail import rules
from kefu.packs.retail.shop import Record, RetailShop
from kefu.tools.registry import ToolCall, ToolRegistry, ToolSpec

ORDER_ID_PATTERN = r"^#W\d{7}$"


class OrderRef(BaseModel):
    order_id: str = Field(pattern=ORDER_ID_PATTERN)


class NoParams(BaseModel):
    pass


class ProductRef(BaseModel):
    product_id: str = Field(min_length=1, max_length=64)


class CancelParams(OrderRef):
    reason: Literal["no longer needed", "ordered by mistake"]


class ItemRef(BaseModel):
    item_id: str = Field(min_length=1, max_length=64)


class UserAddressParams(BaseModel):
    address1: str = Field(min_length=1, max_length=200)
    address2: str = Field(default="", max_length=200)
    city: str = Field(min_length=1, max_length=100)
    state: str = Field(default="", max_length=100)
    country: str = Field(default="", max_length=100)
    zip: str = Field(min_length=3, max_length=12)


class AddressParams(UserAddressParams, OrderRef):
    pass


ADDRESS_PERSONAL = frozenset({"address1", "address2", "city", "zip"})


class ReturnParams(OrderRef):
    item_ids: list[str] = Field(min_length=1)
    payment_method_id: str = Field(min_length=1)


class ExchangeParams(ReturnParams):
    new_item_ids: list[str] = Field(min_length=1)


class PaymentParams(OrderRef):
    payment_method_id: str = Field(min_length=1)


def _refuse(refusal: rules.Refusal | None) -> None:
    if refusal is not None:
        raise ToolError(refusal.reason, str(refusal.params))


class RetailTools:
    """Handlers; each loads the order itself and checks it belongs to the verified customer."""

    def __init__(self, shop: RetailShop) -> None:
        self.shop = shop

    def _own_order(self, call: ToolCall, order_id: str) -> Record:
        order = self.shop.get_order(order_id)
        if order is None or order.get("user_id") != call.customer_id:
            raise ToolError("order_not_found", f"{order_id} is not an order of {call.customer_id}")
        return order

    def _user(self, call: ToolCall) -> Record:
        user = self.shop.get_user(str(call.customer_id))
        if user is None:
            raise ToolError("not_verified", f"user {call.customer_id} vanished")
        return user

    def get_order(self, call: ToolCall, p: OrderRef) -> dict[str, Any]:
        return self._own_order(call, p.order_id)

    def list_orders(self, call: ToolCall, _: NoParams) -> dict[str, Any]:
        return {"orders": self.shop.list_orders(str(call.customer_id))}

    def get_user(self, call: ToolCall, _: NoParams) -> dict[str, Any]:
        return self._user(call)

    def get_product(self, call: ToolCall, p: ProductRef) -> dict[str, Any]:
        product = self.shop.get_product(p.product_id)
        if product is None:
            raise ToolError("product_not_found", p.product_id)
        return product

    def list_products(self, call: ToolCall, _: NoParams) -> dict[str, Any]:
        return {"products": self.shop.list_products()}

    def get_item(self, call: ToolCall, p: ItemRef) -> dict[str, Any]:
        """One variant (τ²'s ``get_item_details``), with the product's id and name."""
        for product in self.shop.list_products():
            variant = product.get("variants", {}).get(p.item_id)
            if variant is not None:
                return {**variant, "product_id": product.get("product_id"), "name": product.get("name")}
        raise ToolError("item_not_found", p.item_id)

    def _products_of(self, order: Record) -> dict[str, Record]:
        ids = {str(i["product_id"]) for i in order.get("items", [])}
        return {pid: self.shop.get_product(pid) or {} for pid in ids}

    def cancel(self, call: ToolCall, p: CancelParams) -> dict[str, Any]:
        _refuse(rules.check_cancel(self._own_order(call, p.order_id), p.reason))
        return self.shop.cancel_order(p.order_id, p.reason, call.idempotency_key)

    def modify_address(self, call: ToolCall, p: AddressParams) -> dict[str, Any]:
        address = p.model_dump(exclude={"order_id"})
        _refuse(rules.check_modify_address(self._own_order(call, p.order_id), address))
        return self.shop.modify_address(p.order_id, address, call.idempotency_key)

    def return_items(self, call: ToolCall, p: ReturnParams) -> dict[str, Any]:
        order = self._own_order(call, p.order_id)
        _refuse(rules.check_return(order, self._user(call), p.item_ids, p.payment_method_id))
        return self.shop.return_items(p.order_id, p.item_ids, p.payment_method_id, call.idempotency_key)

    def exchange_items(self, call: ToolCall, p: ExchangeParams) -> dict[str, Any]:
        order = self._own_order(call, p.order_id)
        refusal = rules.check_exchange(
            order, self._user(call), self._products_of(order), p.item_ids, p.new_item_ids, p.payment_method_id
        )
        _refuse(refusal)
        return self.shop.exchange_items(
            p.order_id, p.item_ids, p.new_item_ids, p.payment_method_id, call.idempotency_key
        )

    def modify_items(self, call: ToolCall, p: ExchangeParams) -> dict[str, Any]:
        order = self._own_order(call, p.order_id)
        refusal = rules.check_modify_items(
            order, self._user(call), self._products_of(order), p.item_ids, p.new_item_ids, p.payment_method_id
        )
        _refuse(refusal)
        return self.shop.modify_items(
            p.order_id, p.item_ids, p.new_item_ids, p.payment_method_id, call.idempotency_key
        )

    def modify_payment(self, call: ToolCall, p: PaymentParams) -> dict[str, Any]:
        order = self._own_order(call, p.order_id)
        _refuse(rules.check_modify_payment(order, self._user(call), p.payment_method_id))
        return self.shop.modify_payment(p.order_id, p.payment_method_id, call.idempotency_key)

    def modify_user_address(self, call: ToolCall, p: UserAddressParams) -> dict[str, Any]:
        address = p.model_dump()
        _refuse(rules.check_modify_user_address(self._user(call), address))
        return self.shop.modify_user_address(str(call.customer_id), address, call.idempotency_key)


def build_registry(shop: RetailShop) -> ToolRegistry:
    t = RetailTools(shop)
    registry = ToolRegistry()
    specs: list[ToolSpec[Any]] = [
        ToolSpec(
            "get_order_details",
            "Status, items and tracking of one of the customer's orders.",
            OrderRef,
            t.get_order,
        ),
        ToolSpec("list_orders", "All orders of the verified customer.", NoParams, t.list_orders),
        ToolSpec(
            "get_user_details", "Profile and payment methods of the verified customer.", NoParams, t.get_user
        ),
        ToolSpec(
            "get_product_details",
            "Variants, options, prices and availability of a product.",
            ProductRef,
            t.get_product,
            requires_customer=False,
        ),
        ToolSpec(
            "list_products", "The shop's catalogue.", NoParams, t.list_products, requires_customer=False
        ),
        ToolSpec(
            "get_item_details",
            "Options, price and availability of one item (variant), with its product.",
            ItemRef,
            t.get_item,
            requires_customer=False,
        ),
        ToolSpec("cancel_pending_order", "Cancel a pending order.", CancelParams, t.cancel, side_effect=True),
        ToolSpec(
            "modify_pending_order_address",
            "Change the shipping address of a pending order.",
            AddressParams,
            t.modify_address,
            side_effect=True,
            personal=ADDRESS_PERSONAL,
        ),
        ToolSpec(
            "modify_pending_order_items",
            "Change items of a pending order to other options of the same products (once per order); "
            "the price difference is paid or refunded through a payment method.",
            ExchangeParams,
            t.modify_items,
            side_effect=True,
        ),
        ToolSpec(
            "modify_pending_order_payment",
            "Pay a pending order with another of the customer's payment methods.",
            PaymentParams,
            t.modify_payment,
            side_effect=True,
        ),
        ToolSpec(
            "modify_user_address",
            "Change the verified customer's default address.",
            UserAddressParams,
            t.modify_user_address,
            side_effect=True,
            personal=ADDRESS_PERSONAL,
        ),
        ToolSpec(
            "return_delivered_order_items",
            "Request a return of delivered items.",
            ReturnParams,
            t.return_items,
            side_effect=True,
        ),
        ToolSpec(
            "exchange_delivered_order_items",
            "Exchange delivered items for other options of the same product.",
            ExchangeParams,
            t.exchange_items,
            side_effect=True,
        ),
    ]
    for spec in specs:
        registry.register(spec)
    register_identity_tools(registry, shop)
    return registry


class EmailLookup(BaseModel):
    email: str = Field(min_length=3, max_length=254)


class NameZipLookup(BaseModel):
    first_name: str = Field(min_length=1, max_length=128)
    last_name: str = Field(min_length=1, max_length=128)
    zip: str = Field(min_length=3, max_length=12)


def register_identity_tools(registry: ToolRegistry, shop: RetailShop) -> None:
    """Lookups that locate the customer during verification; they return only a user id."""

    def by_email(_: ToolCall, p: EmailLookup) -> dict[str, Any]:
        return {"user_id": shop.find_user_by_email(p.email)}

    def by_name_zip(_: ToolCall, p: NameZipLookup) -> dict[str, Any]:
        return {"user_id": shop.find_user_by_name_zip(p.first_name, p.last_name, p.zip)}

    registry.register(
        ToolSpec(
            "find_user_id_by_email",
            "Locate a customer by email.",
            EmailLookup,
            by_email,
            requires_customer=False,
        )
    )
    registry.register(
        ToolSpec(
            "find_user_id_by_name_zip",
            "Locate a customer by full name and zip code.",
            NameZipLookup,
            by_name_zip,
            requires_customer=False,
        )
    )
